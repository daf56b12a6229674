import Datasets
import Experiments
import Foundation
import ModelEvaluation
import Models
import Torch

/// A photo classifier (backbone + linear head), e.g. the wearer's gender. Validated by accuracy,
/// tested by accuracy, macro-F1 and per-class precision/recall.
public final class ClassifierTask: PhotoTask {
    let model: BackboneClassifier
    let photos: PhotoTraining
    public let network: TaskNetwork

    public init(config: RunConfig, device: Device) throws {
        let splits = try LabeledPhotoSplits.load(config.data)
        photos = try PhotoTraining(config: config, device: device, splits: splits)
        (model, network) = try Self.make(config, classes: splits.classes)
    }

    public static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork { try make(config, classes: classes).network }

    private static func make(_ config: RunConfig, classes: [String]) throws -> (model: BackboneClassifier, network: TaskNetwork) {
        let backbone = try config.model.architecture.backbone(weights: config.model.weights)
        let model = try BackboneClassifier(backbone: backbone, classes: classes.count, dropout: config.model.dropout)
        if config.model.freezeBackbone { try model.freezeBackbone() }
        let network = TaskNetwork(module: model, normalization: normalization(of: backbone), resize: config.data.resize) { try model($0) }
        return (model, network)
    }

    public func loss(_ batch: ClassificationBatch) throws -> BatchLoss {
        BatchLoss(try Loss.crossEntropy(model(batch.images.to(photos.device)), batch.labels.to(photos.device)))
    }

    public func validate() throws -> ValidationScore {
        let scores = try score(photos.splits.validation)
        return ValidationScore(metric: "accuracy", value: scores.matrix.accuracy, all: ["accuracy": scores.matrix.accuracy, "macro_f1": scores.matrix.macroF1])
    }

    public func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        let scores = try score(photos.splits.test)
        print(scores.summary(photos.config.model.architecture.rawValue))
        try run.logResults(scores.asResults, dataset: photos.config.data.root, split: photos.splits.test.split)
        return []
    }

    private func score(_ split: EvaluationPhotos) throws -> ClassifierScores {
        try ClassifierScores(network: network, photos: split, classes: classes, size: photos.config.data.imageSize,
                             workers: photos.config.data.workers, device: photos.device)
    }
}
