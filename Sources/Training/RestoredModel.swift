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

    public init(checkpoint: URL) throws {
        let metadata = try SafeTensors.metadata(checkpoint)
        guard let json = metadata["config"] else {
            throw TorchError("\(checkpoint.path): no LookKit run config in its metadata (was it written by `lookkit train`?)", category: .badInput)
        }
        do { config = try JSONDecoder().decode(RunConfig.self, from: Data(json.utf8)) } catch {
            throw ConfigError(decoding: error, in: "\(checkpoint.path) (metadata 'config')")
        }
        classes = metadata["classes"].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        var restoring = config
        restoring.model.weights = nil  // the checkpoint holds every weight
        network = try config.task.taskType.network(config: restoring, classes: classes)
        try network.module.load(from: checkpoint)
        network.module.eval()
    }
}
