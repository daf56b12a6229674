import Datasets
import Experiments
import Foundation
import LookKitCore
import Search

/// The two synthetic 128-d galleries the FAISS table is measured on. They stress the two index
/// families in opposite ways, so one easy set cannot flatter either.
enum SyntheticGallery: CaseIterable {
    /// 1,000 well-separated Gaussian clusters: IVF cells line up with clusters (easy), while an HNSW
    /// graph built with too few candidates leaves clusters as islands it cannot reach.
    case clustered
    /// A 24-dimensional Gaussian manifold embedded in 128-d plus small noise, like learned
    /// embeddings: no cell boundaries to exploit, so IVF must probe many cells.
    case lowRank

    static let dimension = 128

    var name: String {
        switch self {
        case .clustered: return "1,000 clusters"
        case .lowRank: return "rank-24 manifold"
        }
    }

    /// `count` gallery rows and `queries` query rows drawn from the same distribution.
    func sample(count: Int, queries: Int, seed: UInt64) -> (gallery: [Float], queries: [Float]) {
        let dimension = Self.dimension
        var generator = SeededGenerator(seed: seed)
        let draw: (inout SeededGenerator, inout [Float]) -> Void
        switch self {
        case .clustered:
            let clusters = 1_000
            let centers = (0..<clusters * dimension).map { _ in generator.nextGaussian() }
            draw = { generator, row in
                let center = Int(generator.next() % UInt64(clusters)) * dimension
                for j in 0..<dimension { row[j] = centers[center + j] + 0.6 * generator.nextGaussian() }
            }
        case .lowRank:
            let rank = 24, scale = 1 / Float(rank).squareRoot()
            let basis = (0..<dimension * rank).map { _ in scale * generator.nextGaussian() }
            draw = { generator, row in
                let z = (0..<rank).map { _ in generator.nextGaussian() }
                for j in 0..<dimension {
                    var value = 0.05 * generator.nextGaussian()
                    for t in 0..<rank { value += basis[j * rank + t] * z[t] }
                    row[j] = value
                }
            }
        }
        func rows(_ n: Int) -> [Float] {
            var out = [Float](), row = [Float](repeating: 0, count: dimension)
            out.reserveCapacity(n * dimension)
            for _ in 0..<n {
                draw(&generator, &row)
                out += row
            }
            return out
        }
        return (rows(count), rows(queries))
    }
}

/// FAISS IVF-Flat and HNSW against the exact index on each synthetic gallery (`count` × 128):
/// build time, recall@10 against exact search, batch throughput and one-query latency, as markdown
/// tables, each followed by the fastest setting of each family that reaches recall 0.95. Not a
/// LookKit-vs-Python row, so it is its own table; 1M vectors take about 25 minutes on 2 cores.
/// The same tables and recall-against-latency charts go to an HTML page at `page`.
func faissRecallTables(count: Int = 1_000_000, efConstruction: Int = IndexKind.defaultEfConstruction,
                       page: URL = URL(fileURLWithPath: "checkpoints/bench/faiss.html")) throws -> String {
    let measured = try SyntheticGallery.allCases.map { try measureFaiss($0, count: count, efConstruction: efConstruction) }
    var report = HTMLReport(title: "FAISS recall@10 and latency, \(count / 1000)k × \(SyntheticGallery.dimension)")
    for result in measured {
        report.heading(result.title)
        report.charts([result.chart])
        report.table(result.table)
        result.verdicts.forEach { report.paragraph($0) }
    }
    try FileManager.default.createDirectory(at: page.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(report.html.utf8).write(to: page)
    FileHandle.standardError.write(Data("charts: \(page.path)\n".utf8))
    return measured.map { ([$0.table.markdown, ""] + $0.verdicts.map { "- " + $0 }).joined(separator: "\n") }
        .joined(separator: "\n\n")
}

/// One gallery's measurements: the table, recall against one-query latency per index family, and
/// the fastest setting of each family that reaches recall@10 0.95.
private struct FaissMeasurement {
    var title: String
    var table: MarkdownTable
    var chart: LineChart
    var verdicts: [String]
}

private struct RecallRow {
    let family: String, name: String, buildSeconds: Double, recall: Double, queriesPerSecond: Double, latencyMs: Double

    var cells: [String] {
        [name, String(format: "%.1f", buildSeconds), String(format: "%.4f", recall),
         String(format: "%.0f", queriesPerSecond), String(format: "%.3f", latencyMs)]
    }
}

private func measureFaiss(_ set: SyntheticGallery, count: Int, efConstruction: Int) throws -> FaissMeasurement {
    let (dimension, queryCount, k, singles) = (SyntheticGallery.dimension, 1_000, 10, 200)
    func report(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    report("\(set.name): sampling \(count) vectors…")
    let (gallery, queries) = set.sample(count: count, queries: queryCount, seed: 7)
    let ids = (0..<Int64(count)).map { $0 }

    var rows: [RecallRow] = []
    func measure(_ family: String, _ name: String, _ index: any VectorIndex, build: Double, truth: [[SearchHit]]?) throws -> [[SearchHit]] {
        var results: [[SearchHit]] = []
        let batch = try seconds { results = try index.search(queries, k: k) }
        let single = try seconds {
            for q in 0..<singles { _ = try index.search(Array(queries[q * dimension..<(q + 1) * dimension]), k: k) }
        }
        let recall = truth.map { truth in
            Double(zip(results, truth).map { Set($0.map(\.id)).intersection($1.map(\.id)).count }.reduce(0, +)) / Double(queryCount * k)
        } ?? 1
        rows.append(RecallRow(family: family, name: name, buildSeconds: build, recall: recall,
                              queriesPerSecond: Double(queryCount) / batch, latencyMs: single / Double(singles) * 1000))
        report(rows.last!.cells.joined(separator: " | "))
        return results
    }

    report("exact index…")
    let exact = try ExactCosineIndex(dimension: dimension)
    let exactBuild = try seconds { try exact.add(gallery, ids: ids) }
    let truth = try measure("exact", "exact (ExactCosineIndex)", exact, build: exactBuild, truth: nil)

    let nlist = 1_024
    report("IVF-Flat, \(nlist) lists: training on 64k vectors and adding…")
    let ivf = try FaissIndex(dimension: dimension, kind: .ivf(nlist: nlist, nprobe: 16))
    let ivfBuild = try seconds {
        try ivf.train(Array(gallery.prefix(64_000 * dimension)))
        try ivf.add(gallery, ids: ids)
    }
    for nprobe in [16, 64, 128, 256] {
        try ivf.setSearchBreadth(nprobe)
        _ = try measure("IVF-Flat", "IVF-Flat nlist \(nlist), nprobe \(nprobe)", ivf, build: ivfBuild, truth: truth)
    }

    report("HNSW, M 32, efConstruction \(efConstruction): adding…")
    let hnsw = try FaissIndex(dimension: dimension, kind: .hnsw(m: 32, efSearch: 64, efConstruction: efConstruction))
    let hnswBuild = try seconds { try hnsw.add(gallery, ids: ids) }
    for efSearch in [64, 128, 256, 512] {
        try hnsw.setSearchBreadth(efSearch)
        _ = try measure("HNSW", "HNSW M 32, efConstruction \(efConstruction), efSearch \(efSearch)", hnsw,
                        build: hnswBuild, truth: truth)
    }

    let families = ["IVF-Flat", "HNSW"]
    let verdicts = families.map { family in
        let passing = rows.filter { $0.family == family && $0.recall >= 0.95 }
        guard let fastest = passing.min(by: { $0.latencyMs < $1.latencyMs }) else {
            return "\(family): no setting reached recall@10 0.95"
        }
        return String(format: "%@: fastest with recall@10 ≥ 0.95 is %@ (%.4f, %.3f ms)", family, fastest.name,
                      fastest.recall, fastest.latencyMs)
    }
    let title = "\(count / 1000)k × \(dimension), \(set.name)"
    let chart = LineChart(title: "recall@10 against one-query latency (\(set.name))", xLabel: "one-query latency (ms)",
                          yLabel: "recall@10", series: families.map { family in
                              .init(name: family, points: rows.filter { $0.family == family }.map { ($0.latencyMs, $0.recall) })
                          }, yRange: min(0.9, ((rows.map(\.recall).min() ?? 1) * 10).rounded(.down) / 10)...1)
    let table = MarkdownTable(headers: ["index (\(title))", "build s", "recall@10 vs exact", "batch q/s", "one-query latency ms"],
                              rows: rows.map(\.cells))
    return FaissMeasurement(title: title, table: table, chart: chart, verdicts: verdicts)
}
