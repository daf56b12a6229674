import Foundation
import Yams

/// A YAML file composed by Yams, so every node keeps its line: ultralytics' data, model and hyp
/// yamls, class remaps. Problems are `MalformedFile`s naming the file and the line.
public struct YAMLDocument {
    public let file: String
    public let root: Node

    public init(_ url: URL) throws { try self.init(readText(url), file: url.path) }

    /// `text` as the contents of `file`; the top level must be `key: value` entries.
    public init(_ text: String, file: String) throws {
        self.file = file
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            let problem = Self.syntaxProblem(error)
            throw MalformedFile(file: file, line: problem.line, reason: problem.reason)
        }
        guard let root, root.mapping != nil else {
            throw MalformedFile(file: file, line: root?.mark?.line, reason: "expected 'key: value' entries at the top level")
        }
        self.root = root
    }

    /// Top-level entries in file order.
    public var entries: [(key: Node, value: Node)] { root.mapping.map { Array($0) } ?? [] }

    public func issue(at node: Node?, _ reason: String) -> MalformedFile {
        MalformedFile(file: file, line: node?.mark?.line, reason: reason)
    }

    /// Where (1-based line and column, when Yams knows them) and why Yams refused a text.
    public static func syntaxProblem(_ error: YamlError) -> (line: Int?, column: Int?, reason: String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let during = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return (mark.line, mark.column, "not valid YAML: \(problem)\(during)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark.line, context.mark.column, "key \(duplicates.sorted().joined(separator: ", ")) given twice")
        case .dataCouldNotBeDecoded:
            return (nil, nil, "not UTF-8 text")
        default:
            return (nil, nil, "not valid YAML (\(error))")
        }
    }
}
