import Foundation

/// A file that could not be written (or read), named with the reason.
public struct FileError: LookKitError, Equatable, Sendable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) { (self.path, self.reason) = (path, reason) }
    public var description: String { "\(path): \(reason)" }
    public var category: ErrorCategory { .badInput }
}

extension String {
    /// Writes the text atomically as UTF-8; a failure names the file.
    public func write(toPath path: String) throws {
        do { try write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw FileError(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
