import Foundation

/// A handle for logging into one run. All calls commit before returning.
public final class Run: @unchecked Sendable {
    public let id: Int64
    public let log: RunLog

    init(id: Int64, log: RunLog) {
        (self.id, self.log) = (id, log)
    }

    /// Logs one value of a per-step metric.
    public func logMetric(step: Int, epoch: Int? = nil, name: String, value: Double) throws {
        try logMetrics(step: step, epoch: epoch, [name: value])
    }

    /// Logs several metrics of one step in a single transaction. Non-finite values are refused
    /// (nothing of the call is written) so a NaN loss shows up as an error, not a gap.
    public func logMetrics(step: Int, epoch: Int? = nil, _ values: [String: Double]) throws {
        if let bad = values.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
            throw RunLogError.nonFiniteValue(name: bad.key, value: bad.value)
        }
        let now = Date().timeIntervalSince1970
        try write {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try $0.query("INSERT INTO metrics (run_id, step, epoch, name, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)",
                             [.integer(id), .integer(Int64(step)), epoch.map { .integer(Int64($0)) } ?? .null,
                              .text(name), .real(value), .real(now)])
            }
        }
    }

    /// Records a final evaluation number; logging the same dataset/split/metric again replaces it.
    public func logResult(dataset: String, split: String, metric: String, value: Double) throws {
        guard value.isFinite else { throw RunLogError.nonFiniteValue(name: "\(dataset)/\(split)/\(metric)", value: value) }
        try write {
            try $0.query("""
                INSERT OR REPLACE INTO results (run_id, dataset, split, metric, value, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, [.integer(id), .text(dataset), .text(split), .text(metric), .real(value), .real(Date().timeIntervalSince1970)])
        }
    }

    /// Records a file (checkpoint, ONNX export, report) with its size and SHA-256.
    public func addArtifact(path: String, kind: String) throws {
        let url = URL(fileURLWithPath: path)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let digest = try FileDigest.sha256Hex(ofFile: url)
        try write {
            try $0.query("INSERT INTO artifacts (run_id, path, kind, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                         [.integer(id), .text(path), .text(kind), .integer(size), .text(digest), .real(Date().timeIntervalSince1970)])
        }
    }

    /// Stores a curve (e.g. name "PR@0.5", series = class name); replaces an earlier one of the same name and series.
    public func logCurve(name: String, series: String, points: [(x: Double, y: Double)]) throws {
        if let bad = points.first(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            throw RunLogError.nonFiniteValue(name: "\(name)/\(series)", value: bad.x.isFinite ? bad.y : bad.x)
        }
        try write { connection in
            try connection.query("DELETE FROM curves WHERE run_id = ? AND name = ? AND series = ?", [.integer(id), .text(name), .text(series)])
            for (index, point) in points.enumerated() {
                try connection.query("INSERT INTO curves (run_id, name, series, point, x, y) VALUES (?, ?, ?, ?, ?, ?)",
                                     [.integer(id), .text(name), .text(series), .integer(Int64(index)), .real(point.x), .real(point.y)])
            }
        }
    }

    /// Ends the run. Only a running run can be finished.
    public func finish(status: RunStatus = .finished) throws {
        try write {
            try $0.query("UPDATE runs SET status = ?, ended_at = ? WHERE id = ? AND status = 'running'",
                         [.text(status.rawValue), .real(Date().timeIntervalSince1970), .integer(id)])
        }
        let record = try log.record(id)
        if record.status != status { throw RunLogError.runNotRunning(id, record.status) }
    }

    private func write(_ body: (SQLiteConnection) throws -> Void) throws {
        try log.locked { try log.connection.transaction { try body(log.connection) } }
    }
}
