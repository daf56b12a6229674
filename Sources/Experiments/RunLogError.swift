import LookKitCore

/// Errors from the run log; each message says what to fix.
public enum RunLogError: LookKitError, Equatable {
    case cannotOpen(path: String, reason: String)
    case missingDatabase(path: String)
    case database(path: String, reason: String)
    case unknownRun(Int64)
    case nonFiniteValue(name: String, value: Double)
    case newerSchema(path: String, version: Int, supported: Int)
    case olderSchema(path: String, version: Int, current: Int)
    case notARunLog(path: String, tables: [String])
    case runNotRunning(Int64, RunStatus)

    public var category: ErrorCategory {
        switch self {
        case .unknownRun: .notFound
        case .nonFiniteValue, .runNotRunning: .invalidValue
        case .cannotOpen, .missingDatabase, .database, .newerSchema, .olderSchema, .notARunLog: .badInput
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open run log at \(path): \(reason)"
        case .missingDatabase(let path): return "no run log at \(path) (start a run first, or pass --db)"
        case .database(let path, let reason): return "run log \(path): \(reason)"
        case .unknownRun(let id): return "unknown run id \(id) (see `lookkit runs list`)"
        case .nonFiniteValue(let name, let value): return "metric '\(name)' is \(value); only finite values can be logged"
        case .newerSchema(let path, let version, let supported):
            return "run log \(path) has schema version \(version); this LookKit reads up to \(supported)"
        case .olderSchema(let path, let version, let current):
            return "run log \(path) has schema version \(version); a command that logs (lookkit train, eval --run) upgrades it to \(current)"
        case .notARunLog(let path, let tables):
            return "\(path) is not a LookKit run log (" + (tables.isEmpty ? "it is empty" : "it holds other tables: \(tables.joined(separator: ", "))")
                + "); pass --db with a run log that lookkit train wrote"
        case .runNotRunning(let id, let status): return "run \(id) is already \(status.rawValue)"
        }
    }
}
