import Foundation

/// Reads a text file as (1-based line number, trimmed non-empty line) pairs.
func contentLines(of url: URL) throws -> [(number: Int, text: String)] {
    let text: String
    do {
        text = try String(contentsOf: url, encoding: .utf8)
    } catch {
        throw EvaluationError.badFile(path: url.path, line: 0, reason: "cannot read: \(error.localizedDescription)")
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : (index + 1, trimmed)
    }
}
