import Foundation
import Search

/// One-query latency of FAISS HNSW and IVF-Flat through LookKit's CFaiss shim against the `faiss-cpu`
/// wheel in Python (Tests/bench/faiss_bench.py), same vectors and parameters: for each family, the
/// narrowest search breadth whose recall@10 (against exact search) reaches 0.95 in LookKit.
func approximateSearchRows(threads: Int) throws -> [BenchRow] {
    let (count, queryCount, k, singles, dimension) = (100_000, 200, 10, 200, SyntheticGallery.dimension)
    let (m, efConstruction, nlist) = (16, IndexKind.defaultEfConstruction, 256)
    let set = SyntheticGallery.lowRank
    let (gallery, queries) = set.sample(count: count, queries: queryCount, seed: 11)
    let ids = (0..<Int64(count)).map { $0 }
    let exact = try ExactCosineIndex(dimension: dimension)
    try exact.add(gallery, ids: ids)
    let truth = try exact.search(queries, k: k)

    let hnsw = try FaissIndex(dimension: dimension, kind: .hnsw(m: m, efSearch: 16, efConstruction: efConstruction))
    try hnsw.add(gallery, ids: ids)
    let hnswSetting = try narrowestBreadth(hnsw, [16, 32, 64, 128, 256, 512], queries: queries, truth: truth)
    let ivf = try FaissIndex(dimension: dimension, kind: .ivf(nlist: nlist, nprobe: 1))
    try ivf.add(gallery, ids: ids)
    let ivfSetting = try narrowestBreadth(ivf, [2, 4, 8, 16, 32, 64, 128], queries: queries, truth: truth)

    let latency = { (index: FaissIndex) in
        try (0..<3).map { _ in
            try seconds { for q in 0..<singles { _ = try index.search(Array(queries[q * dimension..<(q + 1) * dimension]), k: k) } }
                / Double(singles) * 1000
        }
    }
    let (hnswMs, ivfMs) = (median(try latency(hnsw)), median(try latency(ivf)))
    let python = try withNPYFiles([gallery, queries], dimension: dimension) { files in
        try pythonNumbers("faiss_bench.py", files.map(\.path) + [threads, singles, m, efConstruction, hnswSetting.breadth, nlist, ivfSetting.breadth]
            .map(String.init), expected: 4)
    }
    let work = "one-query latency, \(count / 1000)k × \(dimension) (\(set.name)), recall@10"
    return [
        BenchRow(work: String(format: "FAISS HNSW M %d, efSearch %d: %@ %.3f (faiss-cpu %.3f)", m, hnswSetting.breadth, work,
                              hnswSetting.recall, python[0]), lookkit: hnswMs, python: python[1], unit: "ms", higherIsBetter: false),
        BenchRow(work: String(format: "FAISS IVF-Flat nlist %d, nprobe %d: %@ %.3f (faiss-cpu %.3f)", nlist, ivfSetting.breadth, work,
                              ivfSetting.recall, python[2]), lookkit: ivfMs, python: python[3], unit: "ms", higherIsBetter: false),
    ]
}

/// The first breadth (efSearch or nprobe) in `breadths` whose recall@10 reaches 0.95, and that recall.
private func narrowestBreadth(_ index: FaissIndex, _ breadths: [Int], queries: [Float], truth: [[SearchHit]]) throws
    -> (breadth: Int, recall: Double) {
    var last = (breadth: 0, recall: 0.0)
    for breadth in breadths {
        try index.setSearchBreadth(breadth)
        let results = try index.search(queries, k: truth[0].count)
        let found = zip(results, truth).map { Set($0.map(\.id)).intersection($1.map(\.id)).count }.reduce(0, +)
        last = (breadth, Double(found) / Double(truth.count * truth[0].count))
        if last.recall >= 0.95 { return last }
    }
    throw BenchError("no search breadth up to \(last.breadth) reached recall@10 0.95 (\(last.recall))")
}
