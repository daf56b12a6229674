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

/// Parses a finite number or throws naming the file, line and field.
func finiteNumber(_ field: Substring, _ name: String, _ url: URL, _ line: Int) throws -> Double {
    guard let value = Double(field), value.isFinite else {
        throw EvaluationError.badFile(path: url.path, line: line, reason: "\(name) '\(field)' is not a finite number")
    }
    return value
}

/// Parses a non-negative integer (written as "3" or "3.0") or throws.
func classNumber(_ field: Substring, _ url: URL, _ line: Int) throws -> Int {
    let value = try finiteNumber(field, "class", url, line)
    guard value >= 0, value == value.rounded(), value < Double(Int32.max) else {
        throw EvaluationError.badFile(path: url.path, line: line, reason: "class '\(field)' is not a non-negative integer")
    }
    return Int(value)
}
