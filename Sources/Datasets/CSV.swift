import Foundation
import LookKitCore

/// A delimited text table (CSV or TSV, read by the shared RFC 4180 reader) whose rows keep the
/// line they start on. A row with an unterminated quote is reported and skipped.
struct DelimitedTable {
    let url: URL
    let header: [String]
    let rows: [(line: Int, fields: [String])]

    /// `headerSeparator` differs from `separator` for files like CTL's (space header, tab rows).
    init(url: URL, separator: Character = ",", headerSeparator: Character? = nil, issues: inout IssueLog) throws {
        let records = try CSV.rows(try readText(url), separator: separator) { try issues.report(url, line: $0, $1) }
        guard let first = records.first else { throw DataIssue(file: url.path, line: 1, reason: "file is empty, expected a header") }
        if let headerSeparator, headerSeparator != separator {
            header = first.fields.joined(separator: String(separator)).split(separator: headerSeparator).map(String.init)
        } else {
            header = first.fields
        }
        self.url = url
        self.rows = records.dropFirst().map { ($0.line, $0.fields) }
    }

    /// Index of each required column, or an error at line 1 naming the missing one.
    func columns(_ names: [String]) throws -> [Int] {
        try names.map { name in
            guard let index = header.firstIndex(of: name) else {
                throw DataIssue(file: url.path, line: 1, reason: "missing column '\(name)' (header: \(header.joined(separator: ",")))")
            }
            return index
        }
    }

}

extension IssueLog {
    /// Runs `parse` on every table row that has exactly the header's field count and does not
    /// repeat an earlier row.
    mutating func records<Record>(of table: DelimitedTable, _ parse: ([String]) throws -> Record?) throws -> [Record] {
        var records: [Record] = []
        var seen: [[String]: Int] = [:]
        for (line, fields) in table.rows {
            let record: Record? = try row(table.url, line: line) {
                guard fields.count == table.header.count else {
                    throw RowError("expected \(table.header.count) fields, found \(fields.count)")
                }
                if let first = seen.updateValue(seen[fields] ?? line, forKey: fields) { throw RowError("duplicate of line \(first)") }
                return try parse(fields)
            }
            if let record { records.append(record) }
        }
        return records
    }
}

extension String {
    func number(_ field: String) throws -> Double { try Substring(self).number(field) }
    func integer(_ field: String) throws -> Int {
        guard let value = Int(self.trimmingCharacters(in: .whitespaces)) else { throw RowError("\(field) '\(self)' is not an integer") }
        return value
    }
}
