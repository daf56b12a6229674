import Foundation
import LookKitCore

/// One problem in a dataset, reported as `file:line: reason` (line omitted when not line-based):
/// the shared malformed-file error, so issues from the shared readers need no conversion.
public typealias DataIssue = MalformedFile

/// What a reader does with a bad row: skip it and report it, or stop at the first one.
public enum OnBadRow: Sendable { case skip, fail }

/// Records that read cleanly, plus every problem met on the way.
public struct Loaded<Record> {
    public var records: [Record]
    public var issues: [DataIssue]
    public init(records: [Record] = [], issues: [DataIssue] = []) { (self.records, self.issues) = (records, issues) }
}

extension Loaded: Sendable where Record: Sendable {}

/// Why one row is bad; readers attach the file and line.
struct RowError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Collects issues according to the mode: `.fail` throws the first one.
struct IssueLog {
    let mode: OnBadRow
    private(set) var issues: [DataIssue] = []
    init(_ mode: OnBadRow) { self.mode = mode }

    mutating func report(_ issue: DataIssue) throws {
        if mode == .fail { throw issue }
        issues.append(issue)
    }
    mutating func report(_ file: URL, line: Int? = nil, _ reason: String) throws {
        try report(DataIssue(file: file.path, line: line, reason: reason))
    }

    /// Runs `body` for one row, turning a RowError into an issue for `file:line`.
    mutating func row<Record>(_ file: URL, line: Int?, _ body: () throws -> Record?) throws -> Record? {
        do { return try body() } catch let error as RowError {
            try report(file, line: line, error.reason)
            return nil
        }
    }
}

/// Non-empty lines of a text file with their 1-based line numbers ("\r\n" tolerated).
func numberedLines(of url: URL) throws -> [(number: Int, text: Substring)] {
    let text = try readText(url)
    var lines: [(Int, Substring)] = []
    // In Swift "\r\n" is one Character, so it has to be named as a separator of its own.
    for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
        if !line.allSatisfy(\.isWhitespace) { lines.append((index + 1, line)) }
    }
    return lines
}

func fileExists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

extension Substring {
    /// Parses a number or explains which field is wrong.
    func number(_ field: String) throws -> Double {
        guard let value = Double(self.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw RowError("\(field) '\(self)' is not a number")
        }
        return value
    }
}
