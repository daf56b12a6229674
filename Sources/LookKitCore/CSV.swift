/// RFC 4180 delimited text, read and written in one place. Quoted fields may hold the separator,
/// doubled quotes and line breaks; a quote inside an unquoted field is a literal character.
public enum CSV {
    /// One record with the 1-based line it starts on.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let fields: [String]
        public init(line: Int, fields: [String]) { (self.line, self.fields) = (line, fields) }
    }

    /// Every non-blank record of `text`. A quoted field still open at the end of the text is passed
    /// to `onBadRow` (its line and why) and reading resumes on the next line, so one stray quote
    /// costs one row, not the rest of the file.
    public static func rows(_ text: String, separator: Character = ",",
                            onBadRow: (_ line: Int, _ reason: String) throws -> Void) rethrows -> [Row] {
        let scalars = Array(text.unicodeScalars)
        let separator = separator.unicodeScalars.first!
        var rows: [Row] = []
        var start = 0, line = 1
        while start < scalars.count {
            if let (fields, end, lines) = record(scalars, from: start, separator: separator) {
                if !(fields.count == 1 && fields[0].allSatisfy(\.isWhitespace)) {
                    rows.append(Row(line: line, fields: fields))
                }
                (start, line) = (end, line + lines)
            } else {
                try onBadRow(line, "unterminated quoted field")
                start = scalars[start...].firstIndex(of: "\n").map { $0 + 1 } ?? scalars.count
                line += 1
            }
        }
        return rows
    }

    /// One record starting at `start`: its fields, where the next one starts and how many line
    /// breaks it spans; nil when a quoted field never closes.
    private static func record(_ s: [Unicode.Scalar], from start: Int, separator: Unicode.Scalar)
        -> (fields: [String], next: Int, lines: Int)? {
        var fields: [String] = [], field = String.UnicodeScalarView(), quoted = false
        var i = start, lines = 0
        while i < s.count {
            let c = s[i]
            i += 1
            if c == "\"" && !quoted && field.allSatisfy({ $0 == " " }) {
                // Quotes open a field (spaces before them are padding); a doubled quote is literal.
                field.removeAll()
                quoted = true
                while true {
                    guard i < s.count else { return nil }
                    let q = s[i]
                    i += 1
                    if q == "\"" {
                        guard i < s.count, s[i] == "\"" else { break }
                        i += 1
                    }
                    if q == "\n" { lines += 1 }
                    field.append(q)
                }
            } else if c == separator {
                fields.append(String(field))
                (field, quoted) = (String.UnicodeScalarView(), false)
            } else if c == "\n" {
                lines += 1
                break
            } else if c == "\r" && (i == s.count || s[i] == "\n") {
                continue // the CR of a CRLF line end
            } else if !(quoted && c == " ") {
                field.append(c) // spaces after a closing quote are padding too
            }
        }
        fields.append(String(field))
        return (fields, i, lines)
    }

    /// A field as RFC 4180 writes it: quoted when it holds the separator, a quote or a line break.
    public static func field(_ text: String, separator: Character = ",") -> String {
        guard text.contains(where: { $0 == separator || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// One record's text (no line break).
    public static func line(_ fields: [String], separator: Character = ",") -> String {
        fields.map { field($0, separator: separator) }.joined(separator: String(separator))
    }
}
