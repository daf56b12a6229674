import Foundation

extension String {
    /// Writes the text atomically as UTF-8; a failure names the file.
    public func write(toPath path: String) throws {
        do { try write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw MalformedFile(file: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
