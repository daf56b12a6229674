import Foundation
import Yams

/// A dataset YAML file (ultralytics `data.yaml`, class remaps) read by Yams, so comments, flow
/// lists, quoted strings and anchors read as YAML says. Errors name the file and, where Yams
/// knows it, the line.
struct YAMLFile {
    let url: URL
    /// Top-level `key: value` entries in file order.
    let entries: [(key: Node, value: Node)]

    init(_ url: URL) throws {
        self.url = url
        let root: Node?
        do { root = try Yams.compose(yaml: try readText(url)) } catch let error as YamlError {
            throw YAMLFile.issue(url, error)
        }
        guard let mapping = root?.mapping else {
            throw DataIssue(file: url.path, line: root?.mark?.line, reason: "expected 'key: value' entries at the top level")
        }
        entries = Array(mapping)
    }

    /// The value of a top-level key; nil when absent or empty (`test:`), as ultralytics treats both.
    subscript(key: String) -> Node? {
        entries.first { $0.key.string == key }.map(\.value).flatMap { $0.null == nil ? $0 : nil }
    }

    func issue(at node: Node?, _ reason: String) -> DataIssue {
        DataIssue(file: url.path, line: node?.mark?.line, reason: reason)
    }

    /// A scalar as one string, or a list of scalars; anything else is an issue naming `what`.
    func strings(_ node: Node, _ what: String) throws -> [(text: String, node: Node)] {
        if let text = node.scalar?.string { return [(text, node)] }
        guard let items = node.sequence else { throw issue(at: node, "\(what) should be a name or a list of names") }
        return try items.map { item in
            guard let text = item.scalar?.string else { throw issue(at: item, "\(what) should list plain names") }
            return (text, item)
        }
    }

    private static func issue(_ url: URL, _ error: YamlError) -> DataIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            DataIssue(file: url.path, line: mark.line, reason: "not valid YAML: \(problem)")
        default:
            DataIssue(file: url.path, reason: "not valid YAML: \(error)")
        }
    }
}
