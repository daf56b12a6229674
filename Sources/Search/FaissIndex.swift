import CFaiss
import Foundation
import LookKitCore

/// A FAISS inner-product index (flat, IVF-flat or HNSW) keyed by caller ids. Vectors and queries
/// are L2-normalised, so inner product = cosine. IVF indexes train on the first vectors added
/// unless `train` was called before.
public final class FaissIndex: VectorIndex {
    private let handle: lkf_index
    public let dimension: Int

    public init(dimension: Int, kind: IndexKind) throws {
        let made: lkf_index?
        switch kind {
        case .exact: throw SearchError.invalidArgument("FaissIndex: the exact kind is ExactCosineIndex")
        case .flat: made = lkf_new_flat_ip(Int32(clamping: dimension))
        case let .ivf(nlist, nprobe):
            made = lkf_new_ivf_flat_ip(Int32(clamping: dimension), Int32(clamping: nlist), Int32(clamping: nprobe))
        case let .hnsw(m, efSearch, efConstruction):
            made = lkf_new_hnsw_ip(Int32(clamping: dimension), Int32(clamping: m), Int32(clamping: efConstruction),
                                   Int32(clamping: efSearch))
        }
        handle = try Self.check(made)
        self.dimension = dimension
    }

    private init(handle: lkf_index, dimension: Int) {
        self.handle = handle
        self.dimension = dimension
    }

    deinit { lkf_free(handle) }

    /// The FAISS version LookKit was built against (for benchmark headers).
    public static var version: String { String(cString: lkf_version()) }

    /// The vector kernels HNSW and IVF-Flat searches run on this CPU ("AVX-512", "AVX2" or "baseline x86-64").
    public static var searchKernels: String { String(cString: lkf_search_kernels()) }

    public var count: Int { Int(lkf_ntotal(handle)) }

    /// The kind with its current parameters, read back from FAISS.
    public var kind: IndexKind {
        get throws {
            var kind: Int32 = 0, first: Int32 = 0, second: Int32 = 0, third: Int32 = 0
            try Self.check(lkf_describe(handle, &kind, &first, &second, &third))
            switch kind {
            case Int32(LKF_IVF_FLAT.rawValue): return .ivf(nlist: Int(first), nprobe: Int(second))
            case Int32(LKF_HNSW.rawValue): return .hnsw(m: Int(first), efSearch: Int(second), efConstruction: Int(third))
            default: return .flat
            }
        }
    }

    /// Sets how widely queries search: nprobe for IVF, efSearch for HNSW (flat ignores it).
    public func setSearchBreadth(_ value: Int) throws {
        try Self.check(lkf_set_search_breadth(handle, Int32(clamping: value)))
    }

    public var isTrained: Bool { lkf_is_trained(handle) == 1 }

    public func train(_ vectors: [Float]) throws {
        let n = try rowCount(vectors, dimension: dimension, context: "FaissIndex.train vectors")
        try checkFinite(vectors, dimension: dimension, context: "FaissIndex.train vectors")
        let unit = l2Normalized(vectors, dimension: dimension)
        try Self.check(lkf_train(handle, Int64(n), unit))
    }

    public func add(_ vectors: [Float], ids: [Int64]) throws {
        let n = try rowCount(vectors, dimension: dimension, context: "FaissIndex.add vectors")
        guard n == ids.count else { throw SearchError.invalidArgument("FaissIndex.add: \(n) vectors but \(ids.count) ids") }
        try checkFinite(vectors, dimension: dimension, context: "FaissIndex.add vectors") { "\($0) (id \(ids[$0]))" }
        guard n > 0 else { return }
        let unit = l2Normalized(vectors, dimension: dimension)
        if !isTrained { try Self.check(lkf_train(handle, Int64(n), unit)) }
        try Self.check(lkf_add(handle, Int64(n), unit, ids))
    }

    /// HNSW and IVF-Flat queries run LookKit's search loops (FAISS's algorithms over FAISS's
    /// structures, on vector kernels for this CPU); the flat kind runs FAISS's own search.
    public func search(_ queries: [Float], k: Int) throws -> [[SearchHit]] {
        try search(queries, k: k, by: lkf_search)
    }

    /// The same search run by FAISS's own code, as Debian builds it: what `search` is tested against.
    func searchByFAISS(_ queries: [Float], k: Int) throws -> [[SearchHit]] {
        try search(queries, k: k, by: lkf_search_faiss)
    }

    private typealias SearchFunction = (lkf_index?, Int64, UnsafePointer<Float>?, Int64, UnsafeMutablePointer<Float>?,
                                        UnsafeMutablePointer<Int64>?) -> Int32

    private func search(_ queries: [Float], k: Int, by searchFunction: SearchFunction) throws -> [[SearchHit]] {
        try checkK(k)
        let nq = try rowCount(queries, dimension: dimension, context: "FaissIndex.search queries")
        try checkFinite(queries, dimension: dimension, context: "FaissIndex.search queries")
        let total = count
        guard nq > 0, total > 0 else { return Array(repeating: [], count: nq) }
        let kk = min(k, total)
        var scores = [Float](repeating: 0, count: nq * kk)
        var ids = [Int64](repeating: -1, count: nq * kk)
        try Self.check(searchFunction(handle, Int64(nq), l2Normalized(queries, dimension: dimension), Int64(kk), &scores, &ids))
        return (0..<nq).map { q in
            rankedBestFirst((q * kk..<(q + 1) * kk).compactMap { i in
                ids[i] < 0 ? nil : SearchHit(id: ids[i], score: scores[i])
            })
        }
    }

    public func vectors(of ids: [Int64]) throws -> [Float] {
        var out = [Float](repeating: 0, count: ids.count * dimension)
        try out.withUnsafeMutableBufferPointer { buffer in
            for (i, id) in ids.enumerated() {
                try Self.check(lkf_reconstruct(handle, id, buffer.baseAddress! + i * dimension))
            }
        }
        return out
    }

    /// Writes through a temporary file, so a failed save leaves any earlier index intact.
    public func save(to url: URL) throws {
        try OutputFile.writeTogether([(url.path, { try Self.check(lkf_write(self.handle, $0)) })])
    }

    public static func load(from url: URL) throws -> FaissIndex {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SearchError.missingFile(url.path) }
        guard let handle = lkf_read(url.path) else {
            throw SearchError.corruptFile(url.path, reason: String(cString: lkf_last_error()))
        }
        let dimension = lkf_dimension(handle)
        guard dimension > 0 else {
            lkf_free(handle)
            throw SearchError.corruptFile(url.path, reason: "no dimension")
        }
        return FaissIndex(handle: handle, dimension: Int(dimension))
    }

    /// A CFaiss status: negative means failed, and lkf_last_error says why (ExactCosineIndex uses it too).
    @discardableResult
    static func check<T: BinaryInteger>(_ status: T) throws -> T {
        guard status >= 0 else { throw SearchError.faiss(String(cString: lkf_last_error())) }
        return status
    }

    private static func check(_ handle: lkf_index?) throws -> lkf_index {
        guard let handle else { throw SearchError.faiss(String(cString: lkf_last_error())) }
        return handle
    }
}
