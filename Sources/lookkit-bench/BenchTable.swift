import Foundation
import LookKitCore

/// One row of the `make bench` table: the same work timed in LookKit and in the Python reference,
/// both measured in this run on this machine (medians of several runs).
struct BenchRow {
    let work: String
    let lookkit: Double
    let python: Double
    /// Unit of both numbers, e.g. "s/step" or "img/s".
    let unit: String
    /// True for throughputs (img/s), false for times (s/step); the ratio is always "how many times
    /// LookKit's cost relative to Python's", so ≤ 1 means LookKit is at least as fast.
    let higherIsBetter: Bool

    var ratio: Double { higherIsBetter ? python / lookkit : lookkit / python }

    var cells: [String] {
        let measured = { (v: Double) in String(format: v >= 100 ? "%.0f %@" : "%.4g %@", v, unit) }
        return [work, measured(lookkit), measured(python), String(format: "%.2f", ratio)]
    }
}

func benchTable(_ rows: [BenchRow]) -> MarkdownTable {
    MarkdownTable(headers: ["work", "LookKit", "Python reference", "ratio"], rows: rows.map(\.cells))
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}
