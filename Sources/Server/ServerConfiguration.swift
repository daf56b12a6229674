import Foundation
import LookKitCore
import Pipeline

/// Where `lookkit serve` listens and what it accepts; the defaults suit one machine serving a team.
public struct ServerConfiguration: Sendable, Equatable {
    /// "127.0.0.1" keeps the server private to this machine; "0.0.0.0" serves the network.
    public var host: String
    /// 0 asks the system for a free port (tests); `RunningServer.port` says which.
    public var port: Int
    /// Uploads above this many bytes get 413 before the photo is decoded.
    public var maxUploadBytes: Int
    /// Products per row when the request does not say (`?k=`).
    public var k: Int
    /// Pose gate when the request does not say (`?pose_gate=`).
    public var poseGate: PoseGateMode
    /// Recommendations computed at once; more requests wait their turn (the work is CPU-bound,
    /// so more threads than cores only slows every request down).
    public var workers: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, maxUploadBytes: Int = 10 << 20, k: Int = 5,
                poseGate: PoseGateMode = .warn, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.host = host
        self.port = port
        self.maxUploadBytes = maxUploadBytes
        self.k = k
        self.poseGate = poseGate
        self.workers = workers
    }

    /// The largest `k` a request may ask for: rows of hundreds of thumbnails help nobody.
    public static let maxK = 50

    /// Rejects settings the server cannot run with, before anything binds a port.
    public func validated() throws -> ServerConfiguration {
        guard (0...65535).contains(port) else { throw ConfigError("port \(port) is not in 0…65535") }
        guard maxUploadBytes > 0 else { throw ConfigError("upload limit must be positive, got \(maxUploadBytes) bytes") }
        guard (1...Self.maxK).contains(k) else { throw ConfigError("k must be in 1…\(Self.maxK), got \(k)") }
        guard workers > 0 else { throw ConfigError("workers must be positive, got \(workers)") }
        return self
    }
}
