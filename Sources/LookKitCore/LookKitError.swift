/// What kind of failure an error is, so every command maps it to the same exit code.
/// The table is documented once, in `exitCodeTable`, and used by every `lookkit` command.
public enum ErrorCategory: String, Sendable, CaseIterable {
    /// A file that is missing, unreadable or malformed (images, labels, run log, checkpoints).
    case badInput
    /// A config, flag value or argument combination that cannot work (unknown mining, wrong task).
    case badConfig
    /// A run id, checkpoint or artifact the log does not know.
    case notFound
    /// Values a computation cannot use (NaN, undefined metric, shape mismatch).
    case invalidValue
    /// A failure inside libtorch, OpenCV or FAISS, or the device (CUDA) itself.
    case runtime
    /// Stopped on request (SIGINT/SIGTERM) after saving what a resumed run needs.
    case interrupted

    /// The process exit code of this category (64 is sysexits' EX_USAGE, as ArgumentParser uses).
    public var exitCode: Int32 {
        switch self {
        case .badInput: 2
        case .notFound: 3
        case .invalidValue: 4
        case .runtime: 5
        case .interrupted: 130
        case .badConfig: 64
        }
    }

    /// One line per code, for every command's help.
    public static let exitCodeTable = """
        Exit codes: 0 success, 1 unexpected failure, 2 unreadable or malformed input (files, run log), \
        3 unknown run id or missing artifact, 4 invalid values (NaN, undefined metric, wrong shape), \
        5 libtorch/OpenCV/FAISS or device failure, 64 bad usage or config (unknown key value, wrong task), \
        130 interrupted by SIGINT/SIGTERM (checkpoint saved; resume with --resume).
        """
}

/// Every LookKit error: a message a person can act on, and a category for the exit code.
public protocol LookKitError: Error, CustomStringConvertible {
    var category: ErrorCategory { get }
}

/// A config or argument that cannot work, raised by library code (never ArgumentParser's errors).
public struct ConfigError: LookKitError, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var category: ErrorCategory { .badConfig }
}

/// A run, checkpoint or artifact that does not exist where it was asked for.
public struct NotFoundError: LookKitError, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var category: ErrorCategory { .notFound }
}
