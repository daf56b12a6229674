import Foundation
import Torch

/// Exact cosine search: every query is scored against every stored vector by one libtorch matrix
/// product over L2-normalised rows (the BLAS GEMM PyTorch uses; GEMV for one query) and the best k
/// are taken with libtorch's topk. It replaced a hand-written Swift SIMD scan that NumPy beat
/// 1.4–2.5×. `make bench-exact` compares it with FAISS's IndexFlatIP and NumPy across sizes.
public final class ExactCosineIndex: VectorIndex {
    public let dimension: Int
    public private(set) var ids: [Int64] = []
    /// The normalised rows, count × dimension; nil while empty.
    private var gallery: Tensor?

    public var count: Int { ids.count }

    /// FAISS's limit too (an Int32); the saved file format relies on it.
    public static let maximumDimension = Int(Int32.max)

    /// Scores one matrix product may hold (128 MB of floats): queries go in chunks of
    /// scoresPerChunk / count, so memory stays bounded whatever the gallery size.
    var scoresPerChunk = 1 << 25
    private var queriesPerChunk: Int { max(1, scoresPerChunk / max(count, 1)) }

    /// Multiply-adds (queries × rows × dimension) from which a search uses all of libtorch's threads.
    static let parallelWork = 1 << 22

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
        try appendNormalized(l2Normalized(vectors, dimension: dimension), ids: newIDs)
    }

    /// Stores rows that are unit length already (a saved index reloads bit for bit).
    func appendNormalized(_ rows: [Float], ids newIDs: [Int64]) throws {
        guard !newIDs.isEmpty else { return }
        let added = try Tensor(rows, shape: [newIDs.count, dimension])
        gallery = try gallery.map { try Tensor.cat([$0, added]) } ?? added
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
        guard let gallery, !rows.isEmpty else { return [] }
        return try gallery.indexSelect(0, Tensor(rows)).floats()
    }

    /// All stored vectors, row-major in insertion order.
    func storedRows() throws -> [Float] { try gallery?.floats() ?? [] }

    private func search(_ queries: [Float], k: Int, allowedRows: [Bool]?) throws -> [[SearchHit]] {
        try checkK(k)
        let nq = try rowCount(queries, dimension: dimension, context: "ExactCosineIndex.search queries")
        try checkFinite(queries, dimension: dimension, context: "ExactCosineIndex.search queries")
        guard nq > 0, let gallery else { return Array(repeating: [], count: nq) }
        // One query is a matrix–vector product (BLAS gemv: the gallery streamed once, as NumPy's
        // `q @ G.T`); more are a matrix product per chunk.
        let single = nq == 1
        let unit = try Tensor(l2Normalized(queries, dimension: dimension), shape: single ? [dimension] : [nq, dimension])
        // Rows filtered out score -inf, below any cosine, and are dropped if topk still reaches them.
        let excluded = try allowedRows.flatMap { $0.allSatisfy { $0 } ? nil : try Tensor($0.map { !$0 }) }
        // A gallery past the caches (16 MB) makes even one query memory-bound, and two cores read
        // it faster than one (NumPy's GEMV uses both too); below that a second thread costs more to
        // wake than it saves, and far more when other processes hold the cores.
        let threads = nq * count * dimension < Self.parallelWork ? 1 : Torch.threads
        return try Torch.withThreads(threads) {
            let galleryT = try gallery.transposed(), k = min(k, count)
            var results: [[SearchHit]] = []
            results.reserveCapacity(nq)
            for start in stride(from: 0, to: nq, by: queriesPerChunk) {
                var scores = try single ? gallery.matmul(unit) : unit.slice(0, start, min(start + queriesPerChunk, nq)).matmul(galleryT)
                if let excluded { scores = try scores.maskedFill(excluded, -.infinity) }
                let (values, indices) = try scores.topk(k, dim: -1)
                let (best, rows) = (try values.floats(), try indices.int64s())
                for first in stride(from: 0, to: best.count, by: k) {
                    results.append(rankedBestFirst((first..<first + k).compactMap { i in
                        best[i] == -.infinity ? nil : SearchHit(id: ids[Int(rows[i])], score: best[i])
                    }))
                }
            }
            return results
        }
    }
}
