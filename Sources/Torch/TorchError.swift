import CTorch
import LookKitCore

/// An error raised by libtorch (shape mismatch, bad dtype, missing file…) or by LookKit's checks,
/// carrying the message so the caller sees what went wrong instead of a crash.
public struct TorchError: LookKitError, Equatable {
    public let message: String
    /// libtorch's own failures are `.runtime`; LookKit's checks say what they found.
    public let category: ErrorCategory
    public init(_ message: String, category: ErrorCategory = .runtime) { (self.message, self.category) = (message, category) }
    public var description: String { message }

    /// The message libtorch left for the failing call on this thread.
    static func last() -> TorchError { TorchError(String(cString: lk_last_error())) }
}

/// Turns a CTorch handle into a Tensor, or libtorch's failure into a thrown TorchError.
@inline(__always)
func wrap(_ handle: OpaquePointer?) throws -> Tensor {
    guard let handle else { throw TorchError.last() }
    return Tensor(handle: handle)
}

/// Checks a CTorch status code (0 = success).
@inline(__always)
func check(_ status: Int32) throws {
    if status != 0 { throw TorchError.last() }
}
