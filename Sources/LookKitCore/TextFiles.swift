import Foundation

/// A file's UTF-8 text, or an error naming it (and saying when the bytes are not UTF-8).
public func readText(_ url: URL) throws -> String {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw MalformedFile(file: url.path, reason: "cannot read: \(error.localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw MalformedFile(file: url.path, reason: "not UTF-8 text") }
    return text
}
