/// Which index to build: exact (pure Swift) or one of the FAISS inner-product indexes.
public enum IndexKind: Equatable, Sendable {
    case exact
    case flat
    /// Inverted lists: `nlist` k-means cells, `nprobe` of them visited per query.
    case ivf(nlist: Int, nprobe: Int)
    /// Graph search: `m` neighbours per node, `efSearch` candidates kept per query.
    case hnsw(m: Int, efSearch: Int)

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
