import Datasets
import Foundation
import LookKitCore

/// The pipeline checked on street photos with known garment boxes, as users get it: whether any
/// recommended product crosses gender, whether similar products stay in the categories their
/// garment's class maps to, how much of each photo's true garment classes the detector covers, and
/// the time per stage.
public struct LookEvaluation: Sendable {
    public var photos = 0
    /// Similar and complementary products shown, and those of neither the wearer's gender nor Unisex.
    public var products = 0, wrongGender = 0
    /// Similar products, and those in a category their garment's class maps to.
    public var similar = 0, similarInMappedCategory = 0
    /// Per photo with labelled garments: the share of its true classes among the detected ones.
    public var coverage: [Double] = []
    public var rejectedPoses = 0
    public var timings: [String: [Double]] = [:]

    public init() {}

    /// Adds one photo's result; `trueClasses` are the detector class names its labels hold.
    public mutating func add(_ result: Recommendation, trueClasses: Set<String>, map: CategoryMap, unisex: Set<String> = ["Unisex"]) {
        photos += 1
        if !result.pose.accepted { rejectedPoses += 1 }
        let allowed = unisex.union(result.gender.map { [$0.label] } ?? [])
        for article in result.articles {
            for product in article.similar {
                similar += 1
                products += 1
                if !allowed.contains(product.gender) { wrongGender += 1 }
                if map.categories(of: article.class).contains(product.category) { similarInMappedCategory += 1 }
            }
        }
        for item in result.completeTheLook.flatMap(\.items) {
            products += 1
            if !allowed.contains(item.gender) { wrongGender += 1 }
        }
        if !trueClasses.isEmpty {
            coverage.append(Double(trueClasses.intersection(result.articles.map(\.class)).count) / Double(trueClasses.count))
        }
        for (stage, ms) in result.timingsMs { timings[stage, default: []].append(ms) }
    }

    public var meanCoverage: Double { coverage.isEmpty ? 0 : coverage.reduce(0, +) / Double(coverage.count) }
    /// Photos whose detected classes cover at least `threshold` of their true ones.
    public func share(coveringAtLeast threshold: Double) -> Double {
        coverage.isEmpty ? 0 : Double(coverage.filter { $0 >= threshold }.count) / Double(coverage.count)
    }

    public var table: MarkdownTable {
        var rows: [[String]] = []
        let ratio = { (a: Int, b: Int) in b == 0 ? "–" : String(format: "%.3f (%d / %d)", Double(a) / Double(b), a, b) }
        rows.append(["photos", "\(photos) (\(rejectedPoses) rejected by the pose gate)"])
        rows.append(["products of the wrong gender", "\(wrongGender) of \(products)"])
        rows.append(["similar products in a mapped category", ratio(similarInMappedCategory, similar)])
        rows.append(["mean coverage of true garment classes", String(format: "%.3f", meanCoverage)])
        rows.append(["photos with coverage ≥ 0.6", String(format: "%.3f", share(coveringAtLeast: 0.6))])
        return MarkdownTable(headers: ["check", "value"], rows: rows)
    }

    /// Median and 90th percentile milliseconds per stage.
    public var latencyTable: MarkdownTable {
        var rows: [[String]] = []
        for stage in ["pose", "detect", "gender", "embed", "search", "style", "total"] {
            guard let values = timings[stage]?.sorted(), !values.isEmpty else { continue }
            let at = { (q: Double) in values[min(values.count - 1, Int((q * Double(values.count - 1)).rounded()))] }
            rows.append([stage, String(format: "%.1f", at(0.5)), String(format: "%.1f", at(0.9))])
        }
        return MarkdownTable(headers: ["stage", "median ms", "p90 ms"], rows: rows)
    }
}
