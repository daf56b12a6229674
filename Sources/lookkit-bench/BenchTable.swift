import Foundation

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
}

func markdownTable(_ rows: [BenchRow]) -> String {
    var lines = ["| work | LookKit | Python reference | ratio |", "|---|---|---|---|"]
    for row in rows {
        let fmt = { (v: Double) in String(format: v >= 100 ? "%.0f %@" : "%.4g %@", v, row.unit) }
        lines.append("| \(row.work) | \(fmt(row.lookkit)) | \(fmt(row.python)) | \(String(format: "%.2f", row.ratio)) |")
    }
    return lines.joined(separator: "\n")
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}
