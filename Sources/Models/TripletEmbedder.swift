import Torch

/// The Siamese embedder: a backbone and a projection head (Linear → BN → ReLU → Dropout → Linear)
/// whose output is L2-normalised, trained with a triplet loss so that photos of the same kind of
/// product land close together.
public final class TripletEmbedder: Module, UnaryLayer {
    public let backbone: any FeatureExtractor
    public let head: Sequential

    public init(backbone: any FeatureExtractor, embeddingDimension: Int = 128, hidden: Int = 512, dropout: Double = 0.2) throws {
        self.backbone = backbone
        head = try embeddingHead(backbone.featureDimension, hidden: hidden, output: embeddingDimension, dropout: dropout)
        super.init()
    }

    public var embeddingDimension: Int { (head.layers.last as! Linear).weight.shape[0] }

    /// Unit-length embeddings, N×embeddingDimension.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try head(backbone.pooledFeatures(x)).normalized(dim: 1)
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

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try head(backbone.pooledFeatures(x)) }
}
