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

    let unreadable: UnreadablePhotos

    init(config: RunConfig, device: Device, splits: LabeledPhotoSplits, plan: ((ClassificationSet) throws -> (Int) -> [[Int]])? = nil) throws {
        (self.config, self.device) = (config, device)
        let unreadable = UnreadablePhotos(maxFraction: config.data.maxUnreadable)
        self.unreadable = unreadable
        let validation = try unreadable.readable(splits.validation, root: config.data.root)
        let test = splits.test.split == splits.validation.split ? validation : try unreadable.readable(splits.test, root: config.data.root)
        self.splits = LabeledPhotoSplits(train: splits.train, validation: validation, test: test, classes: splits.classes,
                                         unseenClasses: splits.unseenClasses, issues: splits.issues)
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

    /// The epoch's batches; unreadable training photos are skipped and named (the run stops at the
    /// next epoch once more than `data.maxUnreadable` of them failed).
    func batches(epoch: Int, skip: Int, normalization: (mean: [Float], std: [Float])) throws -> AnyIterator<ClassificationBatch> {
        try unreadable.check(unreadable.count, of: splits.train.count, split: "training", root: config.data.root)
        let loaded = trainSet.batches(plan: plan(epoch), epoch: epoch, skip: skip, seed: config.seed, workers: config.data.workers,
                                      collate: ClassificationBatch.collate(mean: normalization.mean, std: normalization.std))
        let unreadable = unreadable
        return AnyIterator {
            guard let next = loaded.next() else {
                unreadable.record(loaded.failures)  // includes batches none of whose photos could be read
                return nil
            }
            unreadable.record(next.failures)
            return next.batch
        }
    }

    /// mAP@10 of the validation photos querying each other; with unseen classes, the unseen-class
    /// queries' P@5 (what a user's own catalog gets) chooses `best`.
    func validateRetrieval(_ network: TaskNetwork) throws -> ValidationScore {
        var top: [[Int]] = []
        let scores = try HeldOutClassScores(try outputs(network, splits.validation), unseenClasses: splits.unseenClasses, top: &top)
        if let unseen = scores.unseen { return ValidationScore(metric: "unseen P@5", value: unseen.precisionAt5, all: scores.quality) }
        return ValidationScore(metric: "mAP@10", value: scores.all.mAPAt10, all: scores.quality)
    }

    /// Retrieval scores of the test split into the run log, printed as a table row (seen and
    /// unseen classes apart when the run held classes out), and a grid of examples.
    func testRetrieval(_ network: TaskNetwork, name: String, run: Run, folder: URL) throws -> [ReportFigure] {
        var top: [[Int]] = []
        let scored = try outputs(network, splits.test)
        let scores = try HeldOutClassScores(scored, unseenClasses: splits.unseenClasses, top: &top)
        print(scores.table(name).markdown)
        try run.logResults(scores.asResults, dataset: config.data.root, split: scored.photos.split)
        return [.retrievalGrid(try RetrievalGrid(photos: scored.photos, top: top, thumbnails: folder.appendingPathComponent("thumbnails"),
                                                 title: "\(name): top-\(top.first?.count ?? 0) neighbours of sample \(scored.photos.split) photos"))]
    }

    func outputs(_ network: TaskNetwork, _ photos: EvaluationPhotos) throws -> ScoredPhotos {
        try network.outputs(for: photos, size: config.data.imageSize, workers: config.data.workers, device: device)
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
        try photos.batches(epoch: epoch, skip: skip, normalization: network.normalization)
    }

    public var unreadablePhotos: Int { photos.unreadable.count }
}
