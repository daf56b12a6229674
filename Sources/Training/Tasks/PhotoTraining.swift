import Datasets
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Torch

/// What the labelled-photo tasks (embedder, autoencoder, classifier) share: the splits, the
/// augmented training set, batches drawn by a plan, and retrieval scoring.
struct PhotoTraining {
    let config: RunConfig
    let device: Device
    let splits: LabeledPhotoSplits
    let trainSet: ClassificationSet
    /// Each epoch's batches as indices into the training set.
    let plan: (_ epoch: Int) -> [[Int]]

    init(config: RunConfig, device: Device, splits: LabeledPhotoSplits, plan: ((ClassificationSet) throws -> (Int) -> [[Int]])? = nil) throws {
        (self.config, self.device, self.splits) = (config, device, splits)
        trainSet = try ClassificationSet(splits.train, classes: splits.classes, size: config.data.imageSize, augment: true)
        let set = trainSet
        self.plan = try plan?(set) ?? { set.shuffledPlan(epoch: $0, batchSize: config.batchSize, seed: config.seed) }
    }

    var summary: String {
        let (validation, test) = (splits.validation, splits.test)
        return "\(counted(splits.train.count, "training photo")), \(counted(splits.classes.count, "class", plural: "classes")); "
            + "\(counted(validation.queries.count, "validation photo")); "
            + (test.split == validation.split ? "no test split, so validation photos are scored as the test too"
                : counted(test.queries.count, "\(test.split) photo"))
    }

    func batches(epoch: Int, skip: Int, normalization: (mean: [Float], std: [Float])) -> AnyIterator<ClassificationBatch> {
        let loaded = trainSet.batches(plan: plan(epoch), epoch: epoch, skip: skip, seed: config.seed, workers: config.data.workers,
                                      collate: ClassificationBatch.collate(mean: normalization.mean, std: normalization.std))
        return AnyIterator { loaded.next()?.batch }
    }

    /// mAP@10 of the validation photos querying each other.
    func validateRetrieval(_ network: TaskNetwork) throws -> ValidationScore {
        var top: [[Int]] = []
        let scores = try RetrievalScores(network: network, photos: splits.validation, size: config.data.imageSize,
                                         workers: config.data.workers, device: device, top: &top)
        return ValidationScore(metric: "mAP@10", value: scores.mAPAt10, all: scores.asResults)
    }

    /// Retrieval scores of the test split into the run log, printed as a table row, and a grid of examples.
    func testRetrieval(_ network: TaskNetwork, name: String, run: Run, folder: URL) throws -> [ReportFigure] {
        var top: [[Int]] = []
        let photos = splits.test
        let scores = try RetrievalScores(network: network, photos: photos, size: config.data.imageSize,
                                         workers: config.data.workers, device: device, top: &top)
        print(RetrievalScores.table([(name, scores)]).markdown)
        try run.logResults(scores.asResults, dataset: config.data.root, split: photos.split)
        return [.retrievalGrid(try RetrievalGrid(photos: photos, top: top, thumbnails: folder.appendingPathComponent("thumbnails"),
                                                 title: "\(name): top-\(top.first?.count ?? 0) neighbours of sample \(photos.split) photos"))]
    }
}

/// A task trained on labelled photos: data, batches and warnings come from its `PhotoTraining`.
protocol PhotoTask: TrainingTask where Batch == ClassificationBatch {
    var photos: PhotoTraining { get }
}

extension PhotoTask {
    public var classes: [String] { photos.splits.classes }
    public var dataSummary: String { photos.summary }
    public var dataIssues: [DataIssue] { photos.splits.issues }

    public func batches(epoch: Int, skip: Int) throws -> AnyIterator<ClassificationBatch> {
        photos.batches(epoch: epoch, skip: skip, normalization: network.normalization)
    }
}
