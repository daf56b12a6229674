import Foundation
import Torch

/// Keeps `best.safetensors`: the weights with the highest validation score so far, with the run
/// config, classes, epoch, step, score and training time so far in its metadata (so `eval` rebuilds the model and a
/// resumed run knows the score to beat).
final class BestWeights {
    let file: URL
    private(set) var score: Double?
    private let metadata: [String: String]

    /// `resuming`: read the score to beat from an existing file.
    init(file: URL, metadata: [String: String], resuming: Bool) throws {
        (self.file, self.metadata) = (file, metadata)
        if resuming, FileManager.default.fileExists(atPath: file.path) {
            score = try SafeTensors.metadata(file)["score"].flatMap(Double.init)
        }
    }

    /// Saves `module`'s weights when `validation` beats the best so far; true when it did.
    @discardableResult
    func consider(_ validation: ValidationScore, epoch: Int, step: Int, trainingSeconds: Double, module: Module) throws -> Bool {
        guard validation.value.isFinite, score.map({ validation.value > $0 }) ?? true else { return false }
        score = validation.value
        try module.save(to: file, metadata: metadata.merging([
            "epoch": String(epoch), "step": String(step), "metric": validation.metric, "score": String(validation.value),
            "train_seconds": String(trainingSeconds),
        ]) { _, new in new })
        return true
    }
}
