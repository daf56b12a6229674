import Foundation
import LookKitCore
import ModelEvaluation
import Torch

/// A trained network rebuilt from a `best.safetensors` that `lookkit train` wrote: the run config
/// and classes in its metadata say which task's network to build; the file holds every weight.
public struct RestoredModel {
    public let network: TaskNetwork
    public let config: RunConfig
    public let classes: [String]
    /// Wall seconds the run had trained when these weights were saved (nil for files older than that record).
    public let trainingSeconds: Double?

    /// Refuses, before building anything, a training checkpoint or a checkpoint whose task is not
    /// made for `use` (a classifier's logits scored as embeddings would give numbers without meaning).
    public init(checkpoint: URL, for use: ModelUse) throws {
        try Self.refuseTrainingState(checkpoint)
        let metadata = try SafeTensors.metadata(checkpoint)
        config = try Self.config(checkpoint, metadata)
        guard config.task.use == use else {
            let fitting = TaskKind.allCases.filter { $0.use == use }.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            throw MalformedFile(file: checkpoint.path, reason: "holds a '\(config.task.rawValue)' model (\(config.task.use)); "
                                    + "this command needs \(use) weights: a \(fitting) checkpoint")
        }
        trainingSeconds = Self.trainingSeconds(metadata)
        classes = metadata["classes"].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        var restoring = config
        restoring.model.weights = nil  // the checkpoint holds every weight
        network = try config.task.taskType.network(config: restoring, classes: classes)
        try network.module.load(from: checkpoint)
        network.module.eval()
    }

    /// The training time recorded in `checkpoint`, without building anything.
    public static func trainingSeconds(of checkpoint: URL) throws -> Double? {
        trainingSeconds(try SafeTensors.metadata(checkpoint))
    }

    private static func trainingSeconds(_ metadata: [String: String]) -> Double? { metadata["train_seconds"].flatMap(Double.init) }

    /// The task that trained `checkpoint` (from its metadata), without building anything.
    public static func task(of checkpoint: URL) throws -> TaskKind {
        try config(checkpoint, SafeTensors.metadata(checkpoint)).task
    }

    private static func config(_ checkpoint: URL, _ metadata: [String: String]) throws -> RunConfig {
        guard let json = metadata["config"] else {
            throw TorchError("\(checkpoint.path): no LookKit run config in its metadata (was it written by `lookkit train`?)", category: .badInput)
        }
        do { return try JSONDecoder().decode(RunConfig.self, from: Data(json.utf8)) } catch {
            throw ConfigError(decoding: error, in: "\(checkpoint.path) (metadata 'config')")
        }
    }

    /// A `last.safetensors` (`Trainer.saveCheckpoint`: `model.`, `optimizer.` and `trainer.` sections)
    /// carries a run config too, so only its tensor names tell it from trained weights.
    private static func refuseTrainingState(_ checkpoint: URL) throws {
        guard try SafeTensors.names(checkpoint).contains(where: { $0.hasPrefix("trainer.") }) else { return }
        let best = checkpoint.deletingLastPathComponent().appendingPathComponent("best.safetensors")
        throw TorchError("\(checkpoint.path): is a training checkpoint (the state `lookkit train --resume` continues from), "
            + "not trained weights; use the run's best.safetensors (\(best.path))", category: .badInput)
    }
}

/// What a command uses trained weights for.
public enum ModelUse: String, Sendable {
    /// Unit vectors to rank by cosine: `eval embedder`, `embed`, the catalog index.
    case embedding
    /// Class logits: `eval gender`.
    case classification
    /// Boxes: `val detector`, `detect`.
    case detection
    /// Scene–product distances: `eval fitb` with a style embedder.
    case style
}

extension TaskKind {
    public var use: ModelUse {
        switch self {
        case .gender: .classification
        case .detector: .detection
        case .style: .style
        case .embedder, .autoencoder: .embedding
        }
    }
}
