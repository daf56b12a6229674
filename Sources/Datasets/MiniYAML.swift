import Foundation

/// The small YAML subset dataset files use: top-level `key: value` pairs whose value is a scalar,
/// an inline list `[a, b]`, a block list (`- a` lines) or a block map (`0: a` lines).
/// Enough for ultralytics `data.yaml` and class-remap files; anything else is an error with its line.
struct MiniYAML {
    enum Value {
        case scalar(String)
        case list([String])
        case map([(key: String, value: String)])
    }

    let url: URL
    /// Top-level entries in file order, with the line each key is on.
    private(set) var entries: [(key: String, line: Int, value: Value)] = []

    init(contentsOf url: URL) throws {
        self.url = url
        for (number, raw) in try numberedLines(of: url) {
            let text = MiniYAML.stripComment(raw)
            if text.allSatisfy(\.isWhitespace) { continue }
            let indented = text.first == " " || text.first == "\t"
            let body = text.trimmingCharacters(in: .whitespaces)
            if indented || body.hasPrefix("- ") || body == "-" {
                guard let last = entries.indices.last else { throw issue(number, "nested value before any key") }
                try appendNested(body, line: number, to: last)
            } else {
                guard let colon = body.firstIndex(of: ":") else { throw issue(number, "expected 'key: value'") }
                let key = MiniYAML.unquote(body[..<colon])
                let rest = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                entries.append((key, number, rest.isEmpty ? .list([]) : try MiniYAML.inlineValue(rest, line: number, in: url)))
            }
        }
    }

    subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }
    func line(of key: String) -> Int? { entries.first { $0.key == key }?.line }

    private mutating func appendNested(_ body: String, line: Int, to index: Int) throws {
        if body.hasPrefix("-") {
            let item = MiniYAML.unquote(body.dropFirst())
            switch entries[index].value {
            case .list(let items): entries[index].value = .list(items + [item])
            default: throw issue(line, "list item under '\(entries[index].key)', which is not a list")
            }
        } else if let colon = body.firstIndex(of: ":") {
            let pair = (MiniYAML.unquote(body[..<colon]), MiniYAML.unquote(body[body.index(after: colon)...]))
            switch entries[index].value {
            case .list([]): entries[index].value = .map([pair])
            case .map(let pairs): entries[index].value = .map(pairs + [pair])
            default: throw issue(line, "map entry under '\(entries[index].key)', which is not a map")
            }
        } else {
            throw issue(line, "cannot read '\(body)'")
        }
    }

    private func issue(_ line: Int, _ reason: String) -> DataIssue { DataIssue(file: url.path, line: line, reason: reason) }

    private static func inlineValue(_ text: String, line: Int, in url: URL) throws -> Value {
        guard text.hasPrefix("[") else { return .scalar(unquote(Substring(text))) }
        guard text.hasSuffix("]") else { throw DataIssue(file: url.path, line: line, reason: "unterminated inline list") }
        let inner = text.dropFirst().dropLast()
        return .list(inner.split(separator: ",").map { unquote($0) }.filter { !$0.isEmpty })
    }

    private static func stripComment(_ line: Substring) -> Substring {
        var quote: Character? = nil
        for index in line.indices {
            let c = line[index]
            if c == "'" || c == "\"" { quote = quote == c ? nil : (quote ?? c) }
            if c == "#", quote == nil, index == line.startIndex || line[line.index(before: index)] == " " {
                return line[..<index]
            }
        }
        return line
    }

    private static func unquote(_ text: Substring) -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, let f = t.first, f == t.last, f == "'" || f == "\"" { return String(t.dropFirst().dropLast()) }
        return t
    }
}
