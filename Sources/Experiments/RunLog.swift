import Foundation

/// A durable, queryable log of training and evaluation runs in one SQLite file.
///
/// WAL mode lets readers (`lookkit runs …`, reports) query while a training process writes.
/// Every logging call commits its own transaction (several values at once with `logMetrics`),
/// without fsync (`synchronous=NORMAL`): a commit costs tens of microseconds, and everything
/// committed survives the process being killed. On open, runs still marked `running` whose
/// process is gone are marked `killed`.
///
///     let log = try RunLog(path: "experiments/runs.db")
///     let run = try log.startRun(name: "resnet18-dfashion", kind: "train", config: config, device: "cpu")
///     try run.logMetrics(step: 10, epoch: 0, ["loss": 0.71, "lr": 0.01])
///     try run.logResult(dataset: "deepfashion", split: "val", metric: "mAP@10", value: 0.42)
///     try run.addArtifact(path: "checkpoints/last.pt", kind: "checkpoint")
///     try run.finish(status: .finished)
public final class RunLog: @unchecked Sendable {
    public static let defaultPath = "experiments/runs.db"
    public let path: String
    let connection: SQLiteConnection
    let lock = NSLock()

    /// Runs left `running` by a dead process, reported as killed by a read-only log (which cannot mark them).
    private var abandoned: Set<Int64> = []

    /// Opens (creating when `create`) the log at `path`, migrating older schemas. A `readOnly` log
    /// is never created, migrated or written (commands that only read use it, so pointing them at
    /// another application's database changes nothing); it refuses a file without LookKit's schema.
    public init(path: String = RunLog.defaultPath, create: Bool = true, readOnly: Bool = false) throws {
        self.path = path
        let create = create && !readOnly
        if !create, !FileManager.default.fileExists(atPath: path) { throw RunLogError.missingDatabase(path: path) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        if create { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        connection = try SQLiteConnection(path: path, create: create, readOnly: readOnly)
        try Schema.checkIsRunLog(connection, readOnly: readOnly)
        if readOnly {
            abandoned = Set(try abandonedRuns())
            return
        }
        try connection.query("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        try Schema.migrate(connection)
        try markAbandonedRuns()
    }

    /// The schema version stored in the file.
    public var schemaVersion: Int {
        get throws { Int(try locked { try connection.query("PRAGMA user_version") }.first?.first?.int64 ?? 0) }
    }

    /// Starts a run owned by this process. `config` is stored as JSON (sorted keys).
    /// Starts a run; `resumes` names the run whose checkpoint it continues.
    public func startRun(name: String, kind: String, config: (any Encodable)? = nil,
                         device: String? = nil, gitCommit: String? = RunLog.gitCommit(), resumes: Int64? = nil) throws -> Run {
        let json = try config.map { String(decoding: try Self.encoder.encode($0), as: UTF8.self) } ?? "{}"
        let owner = ProcessIdentity.current
        let id = try locked {
            try connection.query("""
                INSERT INTO runs (name, kind, status, config, git_commit, device, started_at, host, pid, process_start, resumes)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(name), .text(kind), .text(json), gitCommit.map(SQLValue.text) ?? .null,
                      device.map(SQLValue.text) ?? .null, .real(Date().timeIntervalSince1970),
                      .text(owner.host), .integer(Int64(owner.pid)), owner.start.map(SQLValue.text) ?? .null,
                      resumes.map(SQLValue.integer) ?? .null])
            return connection.lastInsertID
        }
        return Run(id: id, log: self)
    }

    /// Reopens a run for more logging (e.g. results computed after training finished).
    public func run(_ id: Int64) throws -> Run {
        _ = try record(id)
        return Run(id: id, log: self)
    }

    // MARK: Queries

    public func runs() throws -> [RunRecord] {
        try locked { try connection.query("SELECT \(Self.runColumns) FROM runs ORDER BY id") }.map(runRecord)
    }

    public func record(_ id: Int64) throws -> RunRecord {
        guard let row = try locked({ try connection.query("SELECT \(Self.runColumns) FROM runs WHERE id = ?", [.integer(id)]) }).first
        else { throw RunLogError.unknownRun(id) }
        return try runRecord(row)
    }

    public func metrics(run id: Int64) throws -> [MetricPoint] {
        try rows("SELECT step, epoch, name, value, wall_time FROM metrics WHERE run_id = ? ORDER BY name, step, rowid", id) {
            MetricPoint(step: Int(try $0.int(0)), epoch: $0[1].int64.map(Int.init), name: try $0.text(2),
                        value: try $0.real(3), wallTime: Date(timeIntervalSince1970: try $0.real(4)))
        }
    }

    public func results(run id: Int64) throws -> [ResultRecord] {
        try rows("SELECT dataset, split, metric, value FROM results WHERE run_id = ? ORDER BY rowid", id) {
            ResultRecord(dataset: try $0.text(0), split: try $0.text(1), metric: try $0.text(2), value: try $0.real(3))
        }
    }

    public func artifacts(run id: Int64) throws -> [ArtifactRecord] {
        try rows("SELECT path, kind, size, sha256 FROM artifacts WHERE run_id = ? ORDER BY rowid", id) {
            ArtifactRecord(path: try $0.text(0), kind: try $0.text(1), size: try $0.int(2), sha256: try $0.text(3))
        }
    }

    public func curves(run id: Int64) throws -> [Curve] {
        let points = try rows("SELECT name, series, x, y FROM curves WHERE run_id = ? ORDER BY name, series, point", id) {
            (name: try $0.text(0), series: try $0.text(1), x: try $0.real(2), y: try $0.real(3))
        }
        var curves: [Curve] = []
        for point in points {
            if curves.last?.name != point.name || curves.last?.series != point.series {
                curves.append(Curve(name: point.name, series: point.series, points: []))
            }
            curves[curves.count - 1].points.append((point.x, point.y))
        }
        return curves
    }

    // MARK: Internals

    func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs a query for one run (checking the id exists) and converts each row.
    private func rows<T>(_ sql: String, _ id: Int64, _ convert: ([SQLValue]) throws -> T) throws -> [T] {
        _ = try record(id)
        return try locked { try connection.query(sql, [.integer(id)]) }.map(convert)
    }

    /// Runs marked `running` whose owning process is gone.
    private func abandonedRuns() throws -> [Int64] {
        try locked {
            try connection.query("SELECT id, host, pid, process_start FROM runs WHERE status = 'running'").compactMap { row in
                if let host = row[1].string, let pid = row[2].int64,
                   ProcessIdentity(host: host, pid: Int32(truncatingIfNeeded: pid), start: row[3].string).isAlive { return nil }
                // Runs from schema 1 have no owner recorded: they cannot be alive-checked, so they count as killed.
                return try row.int(0)
            }
        }
    }

    private func markAbandonedRuns() throws {
        for id in try abandonedRuns() {
            try locked {
                try connection.query("""
                    UPDATE runs SET status = 'killed',
                        ended_at = COALESCE((SELECT MAX(wall_time) FROM metrics WHERE run_id = ?1), started_at)
                    WHERE id = ?1 AND status = 'running'
                    """, [.integer(id)])
            }
        }
    }

    private static let runColumns = "id, name, kind, status, config, git_commit, device, started_at, ended_at, resumes"

    private func runRecord(_ row: [SQLValue]) throws -> RunRecord {
        guard let status = RunStatus(rawValue: try row.text(3)) else {
            throw RunLogError.database(path: path, reason: "run \(row[0]) has unknown status \(row[3])")
        }
        let id = try row.int(0)
        return RunRecord(id: id, name: try row.text(1), kind: try row.text(2), status: abandoned.contains(id) ? .killed : status,
                         config: try row.text(4), gitCommit: row[5].string, device: row[6].string,
                         startedAt: Date(timeIntervalSince1970: try row.real(7)),
                         endedAt: row[8].double.map(Date.init(timeIntervalSince1970:)), resumes: row[9].int64)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The commit checked out in `directory` or a parent, read from .git without running git.
    public static func gitCommit(directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> String? {
        var folder = directory.standardizedFileURL
        while true {
            let git = folder.appendingPathComponent(".git")
            if let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines) {
                guard head.hasPrefix("ref: ") else { return head }
                let ref = String(head.dropFirst(5))
                if let commit = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
                    return commit.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
                return packed.split(separator: "\n").first { $0.hasSuffix(" \(ref)") }.map { String($0.prefix(40)) }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}

/// Typed access to query rows; a NULL or mistyped cell (a log edited by another tool) throws.
extension [SQLValue] {
    func int(_ index: Int) throws -> Int64 {
        guard let value = self[index].int64 else { throw cellError(index, "integer") }
        return value
    }
    func real(_ index: Int) throws -> Double {
        guard let value = self[index].double else { throw cellError(index, "number") }
        return value
    }
    func text(_ index: Int) throws -> String {
        guard let value = self[index].string else { throw cellError(index, "text") }
        return value
    }
    private func cellError(_ index: Int, _ expected: String) -> RunLogError {
        .database(path: "", reason: "column \(index + 1) holds \(self[index]), expected \(expected) (NaN values are stored as NULL)")
    }
}
