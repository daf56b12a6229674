import Datasets
import LookKitCore
import Foundation
import ModelEvaluation
import Models
import Torch

extension Architecture {
    /// The headless backbone of this name (pooled features out), with optional pretrained weights
    /// from a file. `conv_autoencoder` is a whole model, not a backbone.
    public func backbone(weights: String? = nil) throws -> any FeatureExtractor {
        let model: any FeatureExtractor = switch self {
        case .smallCNN: try SmallCNN(classes: 1)
        case .convAutoencoder: throw ConfigError("conv_autoencoder is not a backbone (use it with the autoencoder task)")
        default: try Backbones.make(rawValue)
        }
        if let weights { try loadBackbone(model, from: weights) }
        return model
    }
}

/// The input statistics a backbone's weights expect (ImageNet's unless it says otherwise).
func normalization(of model: any FeatureExtractor) -> (mean: [Float], std: [Float]) {
    (model as? any Backbone)?.inputNormalization ?? (ImageNet.mean, ImageNet.std)
}

/// Loads backbone weights, ignoring a classifier head the file may carry (ImageNet `fc`, `_fc`…)
/// but requiring every backbone tensor.
func loadBackbone(_ model: Module, from path: String) throws {
    let own = Set(model.stateDict().map(\.0))
    let state = try Checkpoint.load(URL(fileURLWithPath: path)).filter { own.contains($0.0) }
    try model.load(stateDict: state, strict: false)
    let missing = own.subtracting(state.map(\.0))
    guard missing.isEmpty else {
        throw TorchError("\(path): lacks backbone tensors \(missing.sorted().prefix(5).joined(separator: ", "))…", category: .badInput)
    }
}

extension Architecture {
    /// The backbone's pooled features, unit length, as a network to score: the untrained floor
    /// (random init, seeded by the caller) or free ImageNet features (`weights`).
    public func featureNetwork(weights: String? = nil) throws -> TaskNetwork {
        let features = try backbone(weights: weights)
        let embedding = PooledEmbedding(features)
        return TaskNetwork(module: embedding, normalization: normalization(of: features)) { try embedding($0) }
    }
}
