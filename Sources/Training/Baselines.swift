import Foundation
import ModelEvaluation
import Torch

extension RunConfig {
    /// Retrieval scores of the config's backbone with no training (random init seeded by the
    /// config, or `weights` such as ImageNet's) on `photos`: the floor a trained embedder must beat.
    public func untrainedScores(on photos: EvaluationPhotos, weights: String? = nil, device: Device = .cpu) throws -> RetrievalScores {
        Torch.manualSeed(seed)
        let network = try model.architecture.featureNetwork(weights: weights)
        try network.module.move(to: device)
        var top: [[Int]] = []
        return try RetrievalScores(network.outputs(for: photos, size: data.imageSize, workers: data.workers, device: device), top: &top)
    }
}
