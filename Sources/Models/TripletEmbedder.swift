import Torch

/// The Siamese embedder: a backbone and a projection head (Linear → BN → ReLU → Dropout → Linear)
/// whose output is L2-normalised, trained with a triplet loss so that photos of the same kind of
/// product land close together.
///
/// With `backboneShare` s > 0 the embedding also carries the backbone's own pooled features:
/// [√s·f̂, √(1−s)·ĝ] (both halves unit length), so its cosine is s·cos(f) + (1−s)·cos(g). The
/// pretrained features keep ranking classes the head never trained on; the head adds what
/// fashion similarity needs on top.
public final class TripletEmbedder: Module, UnaryLayer {
    public let backbone: any FeatureExtractor
    public let head: Sequential
    public let backboneShare: Double
    /// A frozen backbone runs in eval mode (its pretrained statistics) and without a graph.
    public var frozenBackbone = false

    public init(backbone: any FeatureExtractor, embeddingDimension: Int = 128, hidden: Int = 512, dropout: Double = 0.2,
                backboneShare: Double = 0) throws {
        guard (0..<1).contains(backboneShare) else { throw TorchError("backboneShare \(backboneShare) is not in [0, 1)", category: .badConfig) }
        self.backbone = backbone
        self.backboneShare = backboneShare
        head = try embeddingHead(backbone.featureDimension, hidden: hidden, output: embeddingDimension, dropout: dropout)
        super.init()
    }

    /// Freezes the backbone's parameters; it then runs in eval mode without a graph.
    public func freezeBackbone() throws {
        try freeze(["backbone"])
        frozenBackbone = true
    }

    public var headDimension: Int { (head.layers.last as! Linear).weight.shape[0] }
    public var embeddingDimension: Int { headDimension + (backboneShare > 0 ? backbone.featureDimension : 0) }

    /// Unit-length embeddings, N×embeddingDimension.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try backbone.pooledFeatures(x, frozen: frozenBackbone)
        let learned = try head(pooled).normalized(dim: 1)
        guard backboneShare > 0 else { return learned }
        return try Tensor.cat([pooled.normalized(dim: 1) * backboneShare.squareRoot(), learned * (1 - backboneShare).squareRoot()], dim: 1)
    }
}

/// The projection every LookKit embedding uses (and Complete the Look's heads): Linear → BatchNorm1d →
/// ReLU → Dropout → Linear; callers L2-normalise its output.
public func embeddingHead(_ input: Int, hidden: Int, output: Int, dropout: Double) throws -> Sequential {
    Sequential(try Linear(input, hidden), try BatchNorm1d(hidden), Activation.relu, Dropout(dropout), try Linear(hidden, output))
}

/// A classifier head on a backbone (the gender model): Dropout → Linear over pooled features.
public final class BackboneClassifier: Module, UnaryLayer {
    public let backbone: any FeatureExtractor
    public let head: Sequential

    public init(backbone: any FeatureExtractor, classes: Int, dropout: Double = 0.2) throws {
        self.backbone = backbone
        head = Sequential(Dropout(dropout), try Linear(backbone.featureDimension, classes))
        super.init()
    }

    /// Freezes the backbone's parameters; it then runs in eval mode without a graph (a linear probe).
    public func freezeBackbone() throws {
        try freeze(["backbone"])
        frozenBackbone = true
    }
    private var frozenBackbone = false

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try head(backbone.pooledFeatures(x, frozen: frozenBackbone)) }
}

extension FeatureExtractor {
    /// Pooled features; a frozen backbone runs as frozen parts run (`Module.frozenForward`).
    func pooledFeatures(_ x: Tensor, frozen: Bool) throws -> Tensor {
        try frozen ? frozenForward { try pooledFeatures(x) } : pooledFeatures(x)
    }
}
