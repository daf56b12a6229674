import LookKitCore
import Models
import Torch

/// Which scene–product distance a style embedder trains on and ranks by (Complete the Look, Kang et al.
/// CVPR 2019): the global embeddings' distance, the attention-weighted distance of scene regions, or their mean.
public enum StyleDistance: String, ConfigChoice { case global, local, hybrid }

/// Complete the Look's style embedder: one backbone gives each image a pooled feature and a spatial map
/// whose cells are the scene's regions.
/// - global `g` (embedding head, L2): d_g = ‖g(scene) − g(product)‖²
/// - local `l` (embedding head, L2) on regions and on the product, with attention keys `lh` (a linear map):
///   a = softmax_i(−‖lh(region_i) − lh(product)‖²) and d_l = Σ_i a_i ‖l(region_i) − l(product)‖², so the
///   regions that look like the product's place weigh most (the tutorial's softmax of +d² attends to the
///   least similar region; that sign is a bug, and a test pins this one).
/// - hybrid d = (d_g + d_l) / 2.
public final class StyleEmbedder: Module {
    public let backbone: any Backbone
    /// The stage whose output map gives the regions (its channels must equal the pooled feature's).
    public let regionStage: String
    public let global: Sequential
    public let local: Sequential
    public let key: Linear

    public init(backbone: any Backbone, regionStage: String, embeddingDimension: Int = 128, hidden: Int = 256,
                keyDimension: Int = 64, dropout: Double = 0.2) throws {
        let channels = backbone.featureDimension
        (self.backbone, self.regionStage) = (backbone, regionStage)
        global = try embeddingHead(channels, hidden: hidden, output: embeddingDimension, dropout: dropout)
        local = try embeddingHead(channels, hidden: hidden, output: embeddingDimension, dropout: dropout)
        key = try Linear(channels, keyDimension)
        super.init()
    }

    /// An image's pooled feature [N, C] and regions [N, R, C] (the cells of `regionStage`'s map).
    public struct Features {
        public let pooled: Tensor, regions: Tensor
        public init(pooled: Tensor, regions: Tensor) { (self.pooled, self.regions) = (pooled, regions) }
    }

    public func features(_ images: Tensor) throws -> Features {
        let outputs = try backbone.features(images, at: [regionStage, "avgpool"])
        let map = outputs[0]
        guard map.shape.count == 4, map.shape[1] == backbone.featureDimension else {
            throw TorchError("StyleEmbedder: stage \(regionStage) gives \(map.shape), not N×\(backbone.featureDimension)×H×W", category: .badConfig)
        }
        return Features(pooled: try outputs[1].flatten(from: 1), regions: try map.flatten(from: 2).transposed(1, 2))
    }

    /// The scene–product distances, one per pair: global [N], local [N] and the attention over regions [N, R].
    public func distances(scene: Features, product: Features) throws -> (global: Tensor, local: Tensor, attention: Tensor) {
        let globalDistance = try (global(scene.pooled).normalized(dim: 1) - global(product.pooled).normalized(dim: 1)).square().sum([1])
        let (n, r, c) = (scene.regions.shape[0], scene.regions.shape[1], scene.regions.shape[2])
        let regions = try local(scene.regions.reshape([n * r, c])).normalized(dim: 1).reshape([n, r, -1])
        let item = try local(product.pooled).normalized(dim: 1).unsqueezed(1)
        let keys = try key(scene.regions), itemKey = try key(product.pooled).unsqueezed(1)
        let attention = try ((keys - itemKey).square().sum([2]) * -1).softmax(dim: 1)
        let localDistance = try (attention * (regions - item).square().sum([2])).sum([1])
        return (globalDistance, localDistance, attention)
    }

    /// The chosen distance, one per pair.
    public func distance(_ kind: StyleDistance, scene: Features, product: Features) throws -> Tensor {
        try Self.chosen(kind, of: distances(scene: scene, product: product))
    }

    /// `kind` of already computed distances: d_g, d_l or (d_g + d_l) / 2.
    public static func chosen(_ kind: StyleDistance, of d: (global: Tensor, local: Tensor, attention: Tensor)) throws -> Tensor {
        switch kind {
        case .global: return d.global
        case .local: return d.local
        case .hybrid: return try (d.global + d.local) / 2
        }
    }
}
