import Foundation

public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, finished, failed, killed
    /// Stopped by SIGINT/SIGTERM after saving a checkpoint to resume from.
    case interrupted
}

/// One row of `runs`.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var kind: String
    public var status: RunStatus
    /// The run's configuration as a JSON object.
    public var config: String
    public var gitCommit: String?
    public var device: String?
    public var startedAt: Date
    public var endedAt: Date?
    /// The run this one resumed (from its checkpoint), if any.
    public var resumes: Int64?

    /// Config flattened to dotted key paths ("optimizer.lr" → "0.001"), for comparisons.
    public var flatConfig: [String: String] { flattenedJSON(config) }
}

/// A per-step training metric.
public struct MetricPoint: Sendable, Equatable {
    public var step: Int
    public var epoch: Int?
    public var name: String
    public var value: Double
    public var wallTime: Date
}

/// A final evaluation number.
public struct ResultRecord: Sendable, Equatable {
    public var dataset: String
    public var split: String
    public var metric: String
    public var value: Double
}

/// A file a run produced, with its size and SHA-256 at the time it was logged.
public struct ArtifactRecord: Sendable, Equatable {
    public var path: String
    public var kind: String
    public var size: Int64
    public var sha256: String

    /// Whether the file still holds the bytes that were logged: a later run writing to the same
    /// output folder replaces them.
    public func fileIsUnchanged() throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return try FileDigest.sha256Hex(ofFile: URL(fileURLWithPath: path)) == sha256
    }
}

/// A named series of (x, y) points, e.g. a precision–recall curve of one class.
public struct Curve: Sendable, Equatable {
    public var name: String
    public var series: String
    public var points: [(x: Double, y: Double)]

    public init(name: String, series: String, points: [(x: Double, y: Double)]) {
        (self.name, self.series, self.points) = (name, series, points)
    }

    public static func == (a: Curve, b: Curve) -> Bool {
        a.name == b.name && a.series == b.series && a.points.elementsEqual(b.points) { $0 == $1 }
    }
}
