import LookKitCore

/// Errors for inputs a metric cannot be computed from. Messages name the offending input.
public enum EvaluationError: LookKitError, Equatable {
    /// A metric is undefined for these inputs (e.g. ROC AUC with only one class present).
    case undefined(String)
    /// Inputs that do not fit together (mismatched lengths, labels out of range, NaN scores).
    case invalidInput(String)
    /// A file that cannot be parsed: names the file and the 1-based line.
    case badFile(path: String, line: Int, reason: String)

    public var category: ErrorCategory {
        switch self {
        case .badFile: .badInput
        case .undefined, .invalidInput: .invalidValue
        }
    }

    public var description: String {
        switch self {
        case .undefined(let message): return "undefined metric: \(message)"
        case .invalidInput(let message): return "invalid input: \(message)"
        case .badFile(let path, let line, let reason):
            return line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        }
    }
}
