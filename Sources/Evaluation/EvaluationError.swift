import LookKitCore

/// Inputs a metric cannot be computed from; messages name the offending input. (Files that cannot
/// be parsed are `MalformedFile`s, as everywhere.)
public enum EvaluationError: LookKitError, Equatable {
    /// A metric is undefined for these inputs (e.g. ROC AUC with only one class present).
    case undefined(String)
    /// Inputs that do not fit together (mismatched lengths, labels out of range, NaN scores).
    case invalidInput(String)

    public var category: ErrorCategory { .invalidValue }

    public var description: String {
        switch self {
        case .undefined(let message): return "undefined metric: \(message)"
        case .invalidInput(let message): return "invalid input: \(message)"
        }
    }
}
