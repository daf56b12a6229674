import CVision
import LookKitCore

/// An image operation failed; the message names the file (or sample) and the reason.
public struct VisionError: LookKitError, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    /// Images that cannot be decoded or written are input problems.
    public var category: ErrorCategory { .badInput }
}

/// Turns a CVision status code into a thrown error carrying the shim's thread-local message.
func checkCV(_ status: Int32, _ context: @autoclosure () -> String? = nil) throws {
    guard status != 0 else { return }
    let reason = String(cString: cv_last_error())
    if let context = context() { throw VisionError("\(context): \(reason)") }
    throw VisionError(reason)
}
