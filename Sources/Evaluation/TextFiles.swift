import Foundation
import LookKitCore

/// Reads a text file as (1-based line number, trimmed non-empty line) pairs.
func contentLines(of url: URL) throws -> [(number: Int, text: String)] {
    try readText(url).split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : (index + 1, trimmed)
    }
}
