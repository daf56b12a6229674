/// Which index to build: exact (ExactCosineIndex) or one of the FAISS inner-product indexes.
public enum IndexKind: Equatable, Sendable {
    case exact
    case flat
    /// Inverted lists: `nlist` k-means cells, `nprobe` of them visited per query.
    case ivf(nlist: Int, nprobe: Int)
    /// Graph search: `m` neighbours per node, `efSearch` candidates kept per query,
    /// `efConstruction` candidates kept per insertion (build only).
    case hnsw(m: Int, efSearch: Int, efConstruction: Int = IndexKind.defaultEfConstruction)

    /// FAISS's own default of 40 leaves well-separated clusters as graph islands at 1M vectors
    /// (recall@10 stuck near 0.89 however wide the search); 100 links them: 0.978 at efSearch 64,
    /// 0.9998 at 256 (`make bench-faiss`; the 1M build takes about 5 minutes on 2 cores).
    public static let defaultEfConstruction = 100

    public var name: String {
        switch self {
        case .exact: return "exact"
        case .flat: return "flat"
        case .ivf: return "ivf"
        case .hnsw: return "hnsw"
        }
    }

    /// An empty index of this kind.
    public func makeIndex(dimension: Int) throws -> any VectorIndex {
        self == .exact ? try ExactCosineIndex(dimension: dimension) : try FaissIndex(dimension: dimension, kind: self)
    }
}
