import Foundation
import LookKitCore
import Yams

/// A config file that does not parse, reported as `file:line:column: not valid YAML|JSON: problem`
/// so the editor can jump to it.
enum ConfigSyntax {
    static func error(_ error: YamlError, in file: String) -> ConfigError {
        if case let .reader(problem, offset, _, yaml) = error {  // bytes that are not text: Yams gives an offset
            let at = offset.map { position(ofByte: $0, in: Data(yaml.utf8)) }.map { ":\($0.line):\($0.column)" } ?? ""
            return ConfigError("\(file)\(at): not valid YAML: \(problem)")
        }
        let problem = YAMLDocument.syntaxProblem(error)
        let at = [problem.line, problem.column].compactMap { $0 }.map { ":\($0)" }.joined()
        return ConfigError("\(file)\(at): \(problem.reason)")
    }

    /// Foundation's JSONDecoder says only "not valid JSON"; JSONSerialization names the byte
    /// offset ("around character 11"), which is turned into a line and column here.
    static func jsonError(_ bytes: Data, in file: String) -> ConfigError? {
        guard String(data: bytes, encoding: .utf8) != nil else { return ConfigError("\(file): not UTF-8 text") }
        do { _ = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed]) } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let problem = detail.replacingOccurrences(of: #"\s*around character \d+\.?"#, with: "", options: .regularExpression)
            guard let match = detail.range(of: #"character \d+"#, options: .regularExpression),
                  let offset = Int(detail[match].filter(\.isNumber)) else {
                // A file that stops inside a value is reported where it stops.
                guard detail.contains("end of file") else { return ConfigError("\(file): not valid JSON: \(problem)") }
                let (line, column) = position(ofByte: bytes.count, in: bytes)
                return ConfigError("\(file):\(line):\(column): not valid JSON: \(problem)")
            }
            let (line, column) = position(ofByte: offset, in: bytes)
            return ConfigError("\(file):\(line):\(column): not valid JSON: \(problem)")
        }
        return nil
    }

    /// 1-based line and column (in characters) of a byte offset in UTF-8 text.
    static func position(ofByte offset: Int, in bytes: Data) -> (line: Int, column: Int) {
        let before = bytes.prefix(max(0, min(offset, bytes.count)))
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        return (line, String(decoding: before[lineStart...], as: UTF8.self).count + 1)
    }

}
