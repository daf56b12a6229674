import Data
import Foundation
import Search

/// Queries per second of exact cosine top-10 over a 100k × 128 gallery: LookKit's ExactCosineIndex
/// against numpy (Tests/bench/search_bench.py) on the same vectors, for a batch of 1,000 queries
/// and for one query at a time.
func searchBenchRows() throws -> [BenchRow] {
    let (count, dimension, queryCount, k, repeats, singles) = (100_000, 128, 1_000, 10, 3, 100)
    var generator = SeededGenerator(seed: 42)
    let gallery = (0..<count * dimension).map { _ in generator.nextGaussian() }
    let queries = (0..<queryCount * dimension).map { _ in generator.nextGaussian() }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-search-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let galleryFile = directory.appendingPathComponent("gallery.npy"), queryFile = directory.appendingPathComponent("queries.npy")
    try NPY.write(.init(values: gallery, rows: count, columns: dimension), to: galleryFile)
    try NPY.write(.init(values: queries, rows: queryCount, columns: dimension), to: queryFile)

    let index = try ExactCosineIndex(dimension: dimension)
    try index.add(gallery, ids: (0..<Int64(count)).map { $0 })
    _ = try index.search(queries, k: k)
    let batch = try (0..<repeats).map { _ in
        Double(queryCount) / (try seconds { _ = try index.search(queries, k: k) })
    }
    let single = try (0..<repeats).map { _ in
        Double(singles) / (try seconds {
            for q in 0..<singles { _ = try index.search(Array(queries[q * dimension..<(q + 1) * dimension]), k: k) }
        })
    }
    let python = try runPythonBench("search_bench.py", [galleryFile.path, queryFile.path] + [k, repeats, singles].map(String.init))
        .split(separator: " ").map { Double($0) ?? .nan }
    guard python.count == 2 else { throw BenchError("search_bench.py printed \(python.count) numbers, expected 2") }
    let work = "exact cosine top-\(k), \(count / 1000)k × \(dimension) gallery"
    return [
        BenchRow(work: "\(work), \(queryCount) queries per call", lookkit: median(batch), python: python[0],
                 unit: "q/s", higherIsBetter: true),
        BenchRow(work: "\(work), one query per call", lookkit: median(single), python: python[1],
                 unit: "q/s", higherIsBetter: true),
    ]
}

private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Reproducible Gaussian floats for the bench data (Box–Muller over the seeded generator).
private extension SeededGenerator {
    mutating func nextGaussian() -> Float {
        let u = Double.random(in: 0..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(max(u, 1e-300))).squareRoot() * cos(2 * .pi * v))
    }
}

/// FAISS IVF-Flat and HNSW against the exact index on a synthetic clustered gallery (`count` × 128,
/// 1,000 Gaussian clusters, queries drawn like the gallery): build time, recall@10 against exact
/// search, batch throughput and one-query latency, as a markdown table. Not a LookKit-vs-Python
/// row, so it is its own table; 1M vectors take several minutes on 2 cores.
func faissRecallTable(count: Int = 1_000_000) throws -> String {
    let (dimension, clusters, queryCount, k, singles) = (128, 1_000, 1_000, 10, 200)
    var generator = SeededGenerator(seed: 7)
    let centers = (0..<clusters * dimension).map { _ in generator.nextGaussian() }
    func sample(_ n: Int) -> [Float] {
        (0..<n).flatMap { _ in
            let c = Int(generator.next() % UInt64(clusters))
            return (0..<dimension).map { centers[c * dimension + $0] + 0.6 * generator.nextGaussian() }
        }
    }
    let gallery = sample(count), queries = sample(queryCount), ids = (0..<Int64(count)).map { $0 }
    func report(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    var lines = ["| index (\(count / 1000)k × \(dimension), clustered) | build s | recall@10 vs exact | batch q/s | one-query latency ms |",
                 "|---|---|---|---|---|"]
    func measure(_ name: String, _ index: any VectorIndex, build: Double, truth: [[SearchHit]]?) throws -> [[SearchHit]] {
        var results: [[SearchHit]] = []
        let batch = try seconds { results = try index.search(queries, k: k) }
        let single = try seconds {
            for q in 0..<singles { _ = try index.search(Array(queries[q * dimension..<(q + 1) * dimension]), k: k) }
        }
        let recall = truth.map { truth in
            Double(zip(results, truth).map { Set($0.map(\.id)).intersection($1.map(\.id)).count }.reduce(0, +)) / Double(queryCount * k)
        } ?? 1
        lines.append(String(format: "| %@ | %.1f | %.4f | %.0f | %.3f |", name, build, recall, Double(queryCount) / batch,
                            single / Double(singles) * 1000))
        report(lines.last!)
        return results
    }

    report("exact index over \(count) vectors…")
    let exact = try ExactCosineIndex(dimension: dimension)
    let exactBuild = try seconds { try exact.add(gallery, ids: ids) }
    let truth = try measure("exact (Swift)", exact, build: exactBuild, truth: nil)

    let nlist = 1_024
    report("IVF-Flat, \(nlist) lists: training on 64k vectors and adding…")
    let ivf = try FaissIndex(dimension: dimension, kind: .ivf(nlist: nlist, nprobe: 16))
    let ivfBuild = try seconds {
        try ivf.train(Array(gallery.prefix(64_000 * dimension)))
        try ivf.add(gallery, ids: ids)
    }
    for nprobe in [16, 64] {
        try ivf.setSearchBreadth(nprobe)
        _ = try measure("IVF-Flat nlist \(nlist), nprobe \(nprobe)", ivf, build: ivfBuild, truth: truth)
    }

    report("HNSW, M 32: adding…")
    let hnsw = try FaissIndex(dimension: dimension, kind: .hnsw(m: 32, efSearch: 64))
    let hnswBuild = try seconds { try hnsw.add(gallery, ids: ids) }
    for efSearch in [64, 128, 256, 512] {
        try hnsw.setSearchBreadth(efSearch)
        _ = try measure("HNSW M 32, efSearch \(efSearch)", hnsw, build: hnswBuild, truth: truth)
    }
    return lines.joined(separator: "\n")
}
