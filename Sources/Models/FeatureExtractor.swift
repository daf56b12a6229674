import Torch

/// A network turning each image into one feature vector (after global pooling): what embedding and
/// classification heads sit on.
public protocol FeatureExtractor: Module {
    var featureDimension: Int { get }
    /// N×3×H×W images → N×featureDimension features.
    func pooledFeatures(_ x: Tensor) throws -> Tensor
}

extension SmallCNN: FeatureExtractor {
    public var featureDimension: Int { classifier.weight.shape[1] }
    public func pooledFeatures(_ x: Tensor) throws -> Tensor { try features(x).flatten(from: 1) }
}
