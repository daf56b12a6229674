import LookKitCore
import Yams

/// What dataset yamls (ultralytics `data.yaml`, class remaps) ask of a YAML document.
extension YAMLDocument {
    /// The value of a top-level key; nil when absent or empty (`test:`), as ultralytics treats both.
    subscript(key: String) -> Node? {
        entries.first { $0.key.string == key }.map(\.value).flatMap { $0.null == nil ? $0 : nil }
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
}
