import Foundation

/// A one-line progress bar on stderr with rate and ETA, redrawn at most ten times a second.
public struct ProgressBar {
    public let total: Int
    let label: String
    let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast

    public init(total: Int, label: String, unit: String = "it") {
        (self.total, self.label, self.unit) = (total, label, unit)
    }

    public mutating func update(_ done: Int, _ status: String = "") {
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let line = "\r" + text(done, status, elapsed: now.timeIntervalSince(start))
        FileHandle.standardError.write(Data((line + (done >= total ? "\n" : "")).utf8))
    }

    /// Rate and ETA wait for this much history: the first ticks come within milliseconds, and
    /// one item over a millisecond would read as thousands a second.
    static let secondsBeforeRate = 1.0

    /// The bar as drawn after `elapsed` seconds, without the carriage return.
    public func text(_ done: Int, _ status: String = "", elapsed: Double) -> String {
        let width = 24, filled = total > 0 ? min(max(width * done / total, 0), width) : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        var speed = "-- \(unit)/s  ETA --:--"
        if elapsed >= Self.secondsBeforeRate, done > 0 {
            let rate = Double(done) / elapsed
            speed = String(format: "%.1f %@/s  ETA %@", rate, unit, Self.clock(Double(max(total - done, 0)) / rate))
        }
        return "\(label) \(bar) \(done)/\(total)  \(speed)  \(status)"
    }

    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// The progress bar, updated from the decoding threads.
public final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var bar: ProgressBar?
    private let label: String

    public init(label: String) { self.label = label }

    public func update(_ done: Int, _ total: Int) {
        lock.withLock {
            if bar == nil { bar = ProgressBar(total: total, label: label, unit: "img") }
            bar?.update(done)
        }
    }
}
