import Datasets
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

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Reproducible Gaussian floats for the bench data (Box–Muller over the seeded generator).
extension SeededGenerator {
    mutating func nextGaussian() -> Float {
        let u = Double.random(in: 0..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(max(u, 1e-300))).squareRoot() * cos(2 * .pi * v))
    }
}
