import Foundation
import LookKitCore

/// What went wrong in the Search layer; every case names what the caller can fix.
public enum SearchError: LookKitError, LocalizedError, Equatable {
    case dimensionMismatch(expected: Int, got: Int, context: String)
    case queryWidth(source: String, rows: Int, columns: Int, dimension: Int)
    case invalidArgument(String)
    case missingFile(String)
    case corruptFile(String, reason: String)
    case faiss(String)

    public var description: String { errorDescription ?? "search failed" }

    public var category: ErrorCategory {
        switch self {
        case .dimensionMismatch, .queryWidth, .invalidArgument: .invalidValue
        case .missingFile, .corruptFile: .badInput
        case .faiss: .runtime
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .dimensionMismatch(expected, got, context):
            return "\(context): expected rows of dimension \(expected), got \(got) values"
        case let .queryWidth(source, rows, columns, dimension):
            return "\(source): \(rows) query vectors of dimension \(columns), but the index holds vectors of dimension \(dimension)"
        case let .invalidArgument(message): return message
        case let .missingFile(path): return "\(path): no such file"
        case let .corruptFile(path, reason): return "\(path): not a valid index file (\(reason))"
        case let .faiss(message): return "FAISS: \(message)"
        }
    }
}
