import Foundation

/// Exact cosine search: every query is scored against every stored vector (one matrix product
/// over L2-normalised rows, tiled for the caches and split across cores) with a running top-k,
/// so the full query × gallery score matrix is never materialised.
public final class ExactCosineIndex: VectorIndex {
    public let dimension: Int
    public private(set) var ids: [Int64] = []
    private var panels: GalleryPanels

    public var count: Int { ids.count }

    /// FAISS's limit too (an Int32); larger would overflow the panel arithmetic.
    public static let maximumDimension = Int(Int32.max)

    public init(dimension: Int) throws {
        guard (1 ... Self.maximumDimension).contains(dimension) else {
            throw SearchError.invalidArgument("dimension must be between 1 and \(Self.maximumDimension), got \(dimension)")
        }
        self.dimension = dimension
        panels = GalleryPanels(dimension: dimension)
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
        panels.store(rows, from: count)
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
        return try wanted.flatMap { id -> [Float] in
            guard let row = rowOf[id] else { throw SearchError.invalidArgument("no item with id \(id)") }
            return panels.row(row)
        }
    }

    /// All stored vectors, row-major in insertion order.
    func storedRows() -> [Float] { (0..<count).flatMap { panels.row($0) } }

    private func search(_ queries: [Float], k: Int, allowedRows: [Bool]?) throws -> [[SearchHit]] {
        try checkK(k)
        let nq = try rowCount(queries, dimension: dimension, context: "ExactCosineIndex.search queries")
        try checkFinite(queries, dimension: dimension, context: "ExactCosineIndex.search queries")
        guard count > 0 else { return Array(repeating: [], count: nq) }
        // Queries padded to whole groups of 4 with zero rows (their results are dropped).
        var padded = l2Normalized(queries, dimension: dimension)
        padded += repeatElement(0, count: ((nq + 3) / 4 * 4 - nq) * dimension)
        let heaps = scan(padded, queryCount: nq, k: min(k, count), allowedRows: allowedRows)
        return heaps.map { heap in
            rankedBestFirst(zip(heap.scores, heap.rows).map { SearchHit(id: ids[$0.1], score: $0.0) })
        }
    }

    /// Splits the gallery blocks across cores; each worker keeps its own top-k per query and the
    /// workers' heaps are merged at the end.
    private func scan(_ queries: [Float], queryCount nq: Int, k: Int, allowedRows: [Bool]?) -> [TopK] {
        let blocks = panels.blockCount
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, blocks))
        let partial = UnsafeMutableBufferPointer<[TopK]>.allocate(capacity: workers)
        partial.initialize(repeating: [])
        defer { partial.deinitialize(); partial.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = blocks * worker / workers ..< blocks * (worker + 1) / workers
            partial[worker] = scanBlocks(range, queries: queries, queryCount: nq, k: k, allowedRows: allowedRows)
        }
        var merged = partial[0]
        for worker in 1..<workers {
            for q in 0..<nq { merged[q].merge(partial[worker][q]) }
        }
        return merged
    }

    private func scanBlocks(_ range: Range<Int>, queries: [Float], queryCount nq: Int, k: Int,
                            allowedRows: [Bool]?) -> [TopK] {
        var heaps = Array(repeating: TopK(k: k), count: nq)
        // Each query's entry bar, kept in a flat buffer so the hot loop reads no heap state.
        var thresholds = [Float](repeating: -.infinity, count: nq)
        let d = dimension, n = count
        let blockFloats = GalleryPanels.rowsPerBlock * d
        // 64 panels (512 rows) stay in L2 while every query group passes over them.
        let tile = 64
        panels.storage.withUnsafeBufferPointer { gallery in
            queries.withUnsafeBufferPointer { query in
                let out = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 8)
                defer { out.deallocate() }
                for tileStart in stride(from: range.lowerBound, to: range.upperBound, by: tile) {
                    for group in 0..<(nq + 3) / 4 {
                        for block in tileStart..<min(tileStart + tile, range.upperBound) {
                            scoreBlock(gallery.baseAddress! + block * blockFloats,
                                       query.baseAddress! + group * 4 * d, dimension: d, into: out)
                            for q in 0..<min(4, nq - group * 4) {
                                let qi = group * 4 + q
                                guard out[q].max() > thresholds[qi] else { continue }
                                for row in 0..<GalleryPanels.rowsPerBlock {
                                    let score = out[q][row]
                                    let index = block * GalleryPanels.rowsPerBlock + row
                                    guard score > thresholds[qi], index < n, allowedRows?[index] ?? true else { continue }
                                    heaps[qi].push(score, row: index)
                                    thresholds[qi] = heaps[qi].threshold
                                }
                            }
                        }
                    }
                }
            }
        }
        return heaps
    }
}
