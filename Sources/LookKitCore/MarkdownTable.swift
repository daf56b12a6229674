/// A table that renders as GitHub markdown (for terminals and READMEs) or as an HTML table.
public struct MarkdownTable: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows.map { $0 + Array(repeating: "", count: max(headers.count - $0.count, 0)) }
    }

    /// Columns padded to equal width; numeric-looking columns right-aligned.
    public var markdown: String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        let numeric = headers.indices.map { column in
            !rows.isEmpty && rows.allSatisfy { Double($0[column]) != nil || $0[column].isEmpty }
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return numeric[column] ? padding + cell : cell + padding
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { column, width in
            numeric[column] ? String(repeating: "-", count: width + 1) + ":" : String(repeating: "-", count: width + 2)
        }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    public var html: String {
        let head = headers.map { "<th>\(htmlEscaped($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\(htmlEscaped($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table>\n<thead><tr>\(head)</tr></thead>\n<tbody>\n\(body)\n</tbody>\n</table>"
    }
}
