import Models
import Torch

/// One side of a style embedder as a single-input network, what a serving box runs: products are
/// embedded once for the catalog, a scene once per request, and the three distances are then a few
/// dot products (`distances(scene:product:)`), so the exports give vectors, not distances.
///
/// Output rows (unit vectors are L2-normalised):
/// - product: [g(p) unit, D | l(p) unit, D | key(p), K]
/// - scene:   [g(s) unit, D | l(region_i) unit, R·D (region-major) | key(region_i), R·K]
public final class StyleRoleNetwork: Module, UnaryLayer {
    public enum Role: String, Sendable { case scene, product }

    public let embedder: StyleEmbedder
    public let role: Role

    public init(_ embedder: StyleEmbedder, role: Role) {
        (self.embedder, self.role) = (embedder, role)
        super.init()
    }

    public var embeddingDimension: Int { (embedder.global.layers.last as! Linear).weight.shape[0] }
    public var keyDimension: Int { embedder.key.weight.shape[0] }

    /// Regions of a side×side scene: the cells of the region stage's map at that size.
    public func regionCount(side: Int) throws -> Int {
        try withoutGrad { try embedder.features(Tensor.zeros([1, 3, side, side])) }.regions.shape[1]
    }

    /// Width of one output row for side×side inputs.
    public func rowWidth(side: Int) throws -> Int {
        let (d, k) = (embeddingDimension, keyDimension)
        return role == .product ? 2 * d + k : d + (try regionCount(side: side)) * (d + k)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let features = try embedder.features(x)
        let global = try embedder.global(features.pooled).normalized(dim: 1)
        switch role {
        case .product:
            return try Tensor.cat([global, embedder.local(features.pooled).normalized(dim: 1), embedder.key(features.pooled)], dim: 1)
        case .scene:
            let (n, r, c) = (features.regions.shape[0], features.regions.shape[1], features.regions.shape[2])
            let regions = try features.regions.reshape([n * r, c])
            return try Tensor.cat([global, embedder.local(regions).normalized(dim: 1).reshape([n, -1]),
                                   embedder.key(regions).reshape([n, -1])], dim: 1)
        }
    }

    /// d_g, d_l and the hybrid (d_g + d_l)/2 of every scene row against every product row, [S, P]
    /// each, from the rows the two exports give: what `StyleEmbedder.distances` computes pair by pair.
    public static func distances(scene: Tensor, product: Tensor, embeddingDimension d: Int, keyDimension k: Int) throws
        -> (global: Tensor, local: Tensor, hybrid: Tensor) {
        let regions = (scene.shape[1] - d) / (d + k)
        let (s, p) = (scene.shape[0], product.shape[0])
        let sceneGlobal = try scene.slice(1, 0, d), productGlobal = try product.slice(1, 0, d)
        let global = try squaredDistances(sceneGlobal.unsqueezed(1), productGlobal.unsqueezed(0))  // [S, P]
        let sceneLocal = try scene.slice(1, d, d + regions * d).reshape([s, 1, regions, d])
        let sceneKeys = try scene.slice(1, d + regions * d, d + regions * (d + k)).reshape([s, 1, regions, k])
        let productLocal = try product.slice(1, d, 2 * d).reshape([1, p, 1, d])
        let productKey = try product.slice(1, 2 * d, 2 * d + k).reshape([1, p, 1, k])
        let attention = try (squaredDistances(sceneKeys, productKey) * -1).softmax(dim: 2)  // [S, P, R]
        let local = try (attention * squaredDistances(sceneLocal, productLocal)).sum([2])
        return (global, local, try (global + local) / 2)
    }

    private static func squaredDistances(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try (a - b).square().sum([a.shape.count - 1])
    }
}
