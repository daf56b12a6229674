import Foundation

/// A delimited text table (CSV with RFC-4180 quotes, or TSV) read line by line so that every
/// row keeps its line number. Quoted fields may contain the separator but not line breaks.
struct DelimitedTable {
    let url: URL
    let header: [String]
    let rows: [(line: Int, fields: [String])]

    /// `headerSeparator` differs from `separator` for files like CTL's (space header, tab rows).
    init(url: URL, separator: Character = ",", headerSeparator: Character? = nil, issues: inout IssueLog) throws {
        let lines = try numberedLines(of: url)
        guard let first = lines.first else { throw DataIssue(file: url.path, line: 1, reason: "file is empty, expected a header") }
        let headerSplit = headerSeparator ?? separator
        header = try DelimitedTable.split(first.text, by: headerSplit).filter { !$0.isEmpty || headerSplit != " " }
        var rows: [(Int, [String])] = []
        for line in lines.dropFirst() {
            do { rows.append((line.number, try DelimitedTable.split(line.text, by: separator))) } catch let error as RowError {
                try issues.report(url, line: line.number, error.reason)
            }
        }
        self.url = url
        self.rows = rows
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

    static func split(_ line: Substring, by separator: Character) throws -> [String] {
        var fields: [String] = [], field = "", inQuotes = false, wasQuoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if inQuotes {
                if c == "\"" {
                    // A doubled quote is a literal quote; a single one closes the field.
                    var lookahead = chars
                    if lookahead.next() == "\"" { field.append("\""); chars = lookahead } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                inQuotes = true
                wasQuoted = true
            } else if c == separator {
                fields.append(field)
                (field, wasQuoted) = ("", false)
            } else { field.append(c) }
        }
        if inQuotes { throw RowError("unterminated quoted field") }
        fields.append(field)
        return fields
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
