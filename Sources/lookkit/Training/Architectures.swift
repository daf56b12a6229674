import Datasets
import Foundation
import Models
import Torch

/// Backbones by the names configs and flags use, with optional pretrained weights from a file.
enum Architectures {
    static let names = ["small_cnn"] + Backbones.names

    /// A headless backbone (pooled features out).
    static func backbone(_ name: String, weights: String? = nil) throws -> any FeatureExtractor {
        guard names.contains(name) else { throw TorchError("unknown architecture '\(name)' (known: \(names.joined(separator: ", ")))") }
        let model: any FeatureExtractor = name == "small_cnn" ? try SmallCNN(classes: 1) : try Backbones.make(name)
        if let weights { try loadBackbone(model, from: weights) }
        return model
    }

    /// The input statistics a backbone's weights expect (ImageNet's unless it says otherwise).
    static func normalization(of model: any FeatureExtractor) -> (mean: [Float], std: [Float]) {
        (model as? any Backbone)?.inputNormalization ?? (ImageNet.mean, ImageNet.std)
    }

    /// Loads backbone weights, ignoring a classifier head the file may carry (ImageNet `fc`, `_fc`…)
    /// but requiring every backbone tensor.
    static func loadBackbone(_ model: Module, from path: String) throws {
        let own = Set(model.stateDict().map(\.0))
        let state = try Checkpoint.load(URL(fileURLWithPath: path)).filter { own.contains($0.0) }
        try model.load(stateDict: state, strict: false)
        let missing = own.subtracting(state.map(\.0))
        guard missing.isEmpty else {
            throw TorchError("\(path): lacks backbone tensors \(missing.sorted().prefix(5).joined(separator: ", "))…")
        }
    }
}
