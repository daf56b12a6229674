/// A file that does not read as its format says, reported as `file:line: reason` (line omitted
/// when the problem is not on one line). Shared readers (CSV, YOLO rows) throw it.
public struct MalformedFile: LookKitError, Equatable, Sendable {
    public let file: String
    public let line: Int?
    public let reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        (self.file, self.line, self.reason) = (file, line, reason)
    }
    public var category: ErrorCategory { .badInput }
    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}
