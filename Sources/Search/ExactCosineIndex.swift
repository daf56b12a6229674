import CFaiss
import Foundation

/// Exact cosine search over L2-normalised rows kept in one row-major array. A few queries (fewer
/// than FAISS's BLAS threshold, 20) are scanned by LookKit's vector kernels (AVX-512 / AVX2 /
/// baseline, picked at load), split over threads when the gallery is large; more queries run
/// FAISS's blocked BLAS search with a heap per query. Both live in CFaiss (`lkf_exact_search`).
/// `make bench-exact` compares it with FAISS's IndexFlatIP and NumPy at 10k, 100k and 1M rows.
public final class ExactCosineIndex: VectorIndex {
    public let dimension: Int
    public private(set) var ids: [Int64] = []
    /// The normalised rows, count × dimension, in insertion order (what a saved index holds).
    private(set) var gallery: [Float] = []

    public var count: Int { ids.count }

    /// FAISS's limit too (an Int32); the saved file format relies on it.
    public static let maximumDimension = Int(Int32.max)

    /// Multiply-adds (queries × rows × dimension) from which a search uses all of FAISS's threads.
    /// A gallery past the caches (16 MB) makes even one query memory-bound, and two cores read it
    /// faster than one; below that a second thread costs more to wake than it saves, and far more
    /// when other processes hold the cores.
    var parallelWork = 1 << 22

    public init(dimension: Int) throws {
        guard (1 ... Self.maximumDimension).contains(dimension) else {
            throw SearchError.invalidArgument("dimension must be between 1 and \(Self.maximumDimension), got \(dimension)")
        }
        self.dimension = dimension
    }

    public func add(_ vectors: [Float], ids newIDs: [Int64]) throws {
        let n = try rowCount(vectors, dimension: dimension, context: "ExactCosineIndex.add vectors")
        guard n == newIDs.count else {
            throw SearchError.invalidArgument("ExactCosineIndex.add: \(n) vectors but \(newIDs.count) ids")
        }
        try checkFinite(vectors, dimension: dimension, context: "ExactCosineIndex.add vectors") { "\($0) (id \(newIDs[$0]))" }
        appendNormalized(l2Normalized(vectors, dimension: dimension), ids: newIDs)
    }

    /// Stores rows that are unit length already (a saved index reloads bit for bit).
    func appendNormalized(_ rows: [Float], ids newIDs: [Int64]) {
        gallery += rows
        ids += newIDs
    }

    public func search(_ queries: [Float], k: Int) throws -> [[SearchHit]] {
        try search(queries, k: k, allowedRows: nil)
    }

    /// Exact top-k among the items whose id passes `isAllowed` (checked once per item).
    public func search(_ queries: [Float], k: Int, where isAllowed: (Int64) -> Bool) throws -> [[SearchHit]] {
        try search(queries, k: k, allowedRows: ids.map(isAllowed))
    }

    public func vectors(of wanted: [Int64]) throws -> [Float] {
        var rowOf: [Int64: Int] = [:]
        for (row, id) in ids.enumerated() where rowOf[id] == nil { rowOf[id] = row }
        let rows = try wanted.map { id -> Int in
            guard let row = rowOf[id] else { throw SearchError.invalidArgument("no item with id \(id)") }
            return row
        }
        return rows.flatMap { gallery[$0 * dimension..<($0 + 1) * dimension] }
    }

    private func search(_ queries: [Float], k: Int, allowedRows: [Bool]?) throws -> [[SearchHit]] {
        try checkK(k)
        let nq = try rowCount(queries, dimension: dimension, context: "ExactCosineIndex.search queries")
        try checkFinite(queries, dimension: dimension, context: "ExactCosineIndex.search queries")
        guard nq > 0, count > 0 else { return Array(repeating: [], count: nq) }
        let unit = l2Normalized(queries, dimension: dimension), k = min(k, count)
        let allowed = allowedRows.flatMap { $0.allSatisfy { $0 } ? nil : $0.map { UInt8($0 ? 1 : 0) } }
        let threads: Int32 = nq * count * dimension < parallelWork ? 1 : 0  // 0: as many as OpenMP's team
        var scores = [Float](repeating: 0, count: nq * k)
        var rows = [Int64](repeating: -1, count: nq * k)
        try gallery.withUnsafeBufferPointer { gallery in
            try FaissIndex.check(lkf_exact_search(gallery.baseAddress, Int64(count), Int32(dimension), allowed, Int64(nq), unit, Int64(k),
                                            threads, &scores, &rows))
        }
        return (0..<nq).map { q in
            rankedBestFirst((q * k..<(q + 1) * k).compactMap { i in rows[i] < 0 ? nil : SearchHit(id: ids[Int(rows[i])], score: scores[i]) })
        }
    }
}
