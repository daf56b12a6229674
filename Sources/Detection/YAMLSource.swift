import Foundation
import LookKitCore
import Yams

/// A YAML text and the file it came from, composed by Yams so every node keeps its line; errors
/// are `MalformedFile`s naming the file and that line.
struct YAMLSource {
    let file: String
    let root: Node

    init(_ url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw MalformedFile(file: url.path, reason: "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
        try self.init(text, file: url.path)
    }

    init(_ text: String, file: String) throws {
        self.file = file
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw Self.syntax(error, file: file)
        }
        guard let root, root.mapping != nil else {
            throw MalformedFile(file: file, line: root?.mark?.line, reason: "expected 'key: value' entries at the top level")
        }
        self.root = root
    }

    func issue(at node: Node?, _ reason: String) -> MalformedFile {
        MalformedFile(file: file, line: node?.mark?.line, reason: reason)
    }

    private static func syntax(_ error: YamlError, file: String) -> MalformedFile {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            MalformedFile(file: file, line: mark.line, reason: "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            MalformedFile(file: file, line: context.mark.line, reason: "key \(duplicates.sorted().joined(separator: ", ")) given twice")
        default:
            MalformedFile(file: file, reason: "not valid YAML (\(error))")
        }
    }
}
