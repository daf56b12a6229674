import Datasets
import Foundation
import LookKitCore
import Search

/// `lookkit-bench exact [ROWS…]` (`make bench-exact`): exact cosine top-10 over ROWS × 128 Gaussian
/// galleries (default 10k, 100k and 1M) with every implementation at hand — LookKit's
/// ExactCosineIndex (its kernel scan below 20 queries, FAISS's BLAS search from 20), FAISS IndexFlatIP and NumPy
/// (Tests/bench/search_bench.py) — in queries per second, 1,000 queries per call and one per call.
func exactSearchTable(sizes: [Int]) throws -> String {
    let (dimension, queryCount, k) = (128, 1_000, 10)
    var rows: [[String]] = []
    for count in sizes {
        FileHandle.standardError.write(Data("exact search, \(count) rows: sampling…\n".utf8))
        var generator = SeededGenerator(seed: 42)
        let gallery = (0..<count * dimension).map { _ in generator.nextGaussian() }
        let queries = (0..<queryCount * dimension).map { _ in generator.nextGaussian() }
        // One query per call is memory-bound (the whole gallery is read per query): fewer at 1M rows.
        let singles = max(10, min(200, 20_000_000 / count))
        let contenders: [(String, () throws -> any VectorIndex)] = [
            ("ExactCosineIndex (LookKit: kernel scan / FAISS BLAS)", { try ExactCosineIndex(dimension: dimension) }),
            ("FAISS IndexFlatIP (CFaiss)", { try FaissIndex(dimension: dimension, kind: .flat) }),
        ]
        for (name, make) in contenders {
            FileHandle.standardError.write(Data("  \(name)…\n".utf8))
            let index = try make()
            try index.add(gallery, ids: (0..<Int64(count)).map { $0 })
            let (batch, single) = try queriesPerSecond(index, queries, k: k, singles: singles)
            rows.append([name, "\(count / 1000)k", String(format: "%.0f", batch), String(format: "%.0f", single)])
        }
        let python = try numpyQueriesPerSecond(gallery: gallery, queries: queries, dimension: dimension, k: k, singles: singles)
        rows.append(["NumPy (Python reference)", "\(count / 1000)k", String(format: "%.0f", python.batch), String(format: "%.0f", python.single)])
    }
    return MarkdownTable(headers: ["exact cosine top-\(k), × \(dimension)", "rows", "q/s, \(queryCount) queries per call", "q/s, one query per call"],
                         rows: rows).markdown
}

/// Median queries/s of `index` over three batched calls and three rounds of `singles` one-query calls.
func queriesPerSecond(_ index: any VectorIndex, _ queries: [Float], k: Int, singles: Int) throws -> (batch: Double, single: Double) {
    let dimension = index.dimension, queryCount = queries.count / dimension
    _ = try index.search(queries, k: k)
    let batch = try (0..<3).map { _ in Double(queryCount) / (try seconds { _ = try index.search(queries, k: k) }) }
    let single = try (0..<3).map { _ in
        Double(singles) / (try seconds {
            for q in 0..<singles { _ = try index.search(Array(queries[q * dimension..<(q + 1) * dimension]), k: k) }
        })
    }
    return (median(batch), median(single))
}

/// NumPy's queries/s (Tests/bench/search_bench.py) on the same gallery and queries.
func numpyQueriesPerSecond(gallery: [Float], queries: [Float], dimension: Int, k: Int, singles: Int) throws -> (batch: Double, single: Double) {
    let numbers = try withNPYFiles([gallery, queries], dimension: dimension) { files in
        try pythonNumbers("search_bench.py", files.map(\.path) + [k, 3, singles].map(String.init), expected: 2)
    }
    return (numbers[0], numbers[1])
}

/// Runs `body` with `matrices` (rows of `dimension` floats) written as .npy files, removed afterwards.
func withNPYFiles<R>(_ matrices: [[Float]], dimension: Int, _ body: ([URL]) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-search-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = try matrices.enumerated().map { i, values -> URL in
        let file = directory.appendingPathComponent("matrix\(i).npy")
        try NPY.write(.init(values: values, rows: values.count / dimension, columns: dimension), to: file)
        return file
    }
    return try body(files)
}

/// The space-separated numbers a Tests/bench script prints, exactly `expected` of them.
func pythonNumbers(_ script: String, _ arguments: [String], expected: Int) throws -> [Double] {
    let output = try runPythonBench(script, arguments)
    let numbers: [Double] = output.split(separator: " ").map { Double($0) ?? .nan }
    guard numbers.count == expected else { throw BenchError("\(script) printed \(numbers.count) numbers, expected \(expected)") }
    return numbers
}
