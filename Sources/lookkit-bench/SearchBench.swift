import Datasets
import Foundation
import Search

/// Queries per second of exact cosine top-10 over a 100k × 128 gallery: LookKit's ExactCosineIndex
/// against numpy (Tests/bench/search_bench.py) on the same vectors, for a batch of 1,000 queries
/// and for one query at a time. `lookkit-bench exact` compares more implementations and sizes.
func searchBenchRows() throws -> [BenchRow] {
    let (count, dimension, queryCount, k, singles) = (100_000, 128, 1_000, 10, 100)
    var generator = SeededGenerator(seed: 42)
    let gallery = (0..<count * dimension).map { _ in generator.nextGaussian() }
    let queries = (0..<queryCount * dimension).map { _ in generator.nextGaussian() }
    let index = try ExactCosineIndex(dimension: dimension)
    try index.add(gallery, ids: (0..<Int64(count)).map { $0 })
    let lookkit = try queriesPerSecond(index, queries, k: k, singles: singles)
    let python = try numpyQueriesPerSecond(gallery: gallery, queries: queries, dimension: dimension, k: k, singles: singles)
    let work = "exact cosine top-\(k), \(count / 1000)k × \(dimension) gallery"
    return [
        BenchRow(work: "\(work), \(queryCount) queries per call", lookkit: lookkit.batch, python: python.batch,
                 unit: "q/s", higherIsBetter: true),
        BenchRow(work: "\(work), one query per call", lookkit: lookkit.single, python: python.single,
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
