import Foundation
import LookKitCore

/// A file's UTF-8 text, or an error naming it.
func readText(_ url: URL) throws -> String {
    do {
        return try String(contentsOf: url, encoding: .utf8)
    } catch {
        throw MalformedFile(file: url.path, reason: "cannot read: \(error.localizedDescription)")
    }
}

/// Reads a text file as (1-based line number, trimmed non-empty line) pairs.
func contentLines(of url: URL) throws -> [(number: Int, text: String)] {
    try readText(url).split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : (index + 1, trimmed)
    }
}
