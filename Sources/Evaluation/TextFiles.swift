import Foundation
import LookKitCore

/// A file's UTF-8 text, or an error naming it (and saying when the bytes are not UTF-8).
func readText(_ url: URL) throws -> String {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw MalformedFile(file: url.path, reason: "cannot read: \(error.localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw MalformedFile(file: url.path, reason: "not UTF-8 text") }
    return text
}

/// Reads a text file as (1-based line number, trimmed non-empty line) pairs.
func contentLines(of url: URL) throws -> [(number: Int, text: String)] {
    try readText(url).split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : (index + 1, trimmed)
    }
}
