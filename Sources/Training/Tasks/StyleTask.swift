import Datasets
import Evaluation
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Models
import StyleEmbedding
import Torch

/// Complete the Look on MANGO outfits: the style embedder learns that an outfit's held-out item is
/// closer to the board of its other items than a same-category product from elsewhere (triplet margin
/// on the configured distance). Outfits are split by outfit with no product in two splits; validated
/// and tested by fill-in-the-blank accuracy on held-out outfits (4 candidates of the same category).
public final class StyleTask: TrainingTask {
    let config: RunConfig
    let device: Device
    let embedder: StyleEmbedder
    public let network: TaskNetwork
    let trainSet: OutfitSceneSet
    let validation: [FITBQuestion]
    let validationSet: OutfitSceneSet
    public let dataIssues: [DataIssue]
    let unreadable: UnreadablePhotos

    public var classes: [String] { [] }

    public init(config: RunConfig, device: Device) throws {
        (self.config, self.device) = (config, device)
        let outfits = try MangoReader.readOutfits(URL(fileURLWithPath: config.data.root))
        dataIssues = outfits.issues
        let f = config.style.validationFraction
        let splits = splitWithoutLeakage(outfits.records, fractions: [("train", 1 - f), ("val", f)], seed: config.seed)
        let (train, held) = (splits[0].groups, splits[1].groups)
        let cache = try ImageCache()
        trainSet = try OutfitSceneSet(train, sceneSize: config.data.imageSize, productSize: config.style.productSize, seed: config.seed, cache: cache)
        validationSet = try OutfitSceneSet(held, sceneSize: config.data.imageSize, productSize: config.style.productSize, seed: config.seed, cache: cache)
        validation = fillInTheBlank(held, seed: config.seed)
        guard !trainSet.triplets.isEmpty, !validation.isEmpty else {
            throw MalformedFile(file: config.data.root, reason: "needs training triplets and validation questions (found \(trainSet.count) and \(validation.count))")
        }
        (embedder, network) = try Self.make(config)
        unreadable = UnreadablePhotos(maxFraction: config.data.maxUnreadable)
    }

    public static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork { try make(config).network }

    static func make(_ config: RunConfig) throws -> (embedder: StyleEmbedder, network: TaskNetwork) {
        guard let backbone = try config.model.architecture.backbone(weights: config.model.weights) as? any Backbone else {
            throw ConfigError("model.architecture: the style embedder needs a staged backbone (resnet18, resnet50, mobilenet_v2, efficientnet_lite0)")
        }
        let embedder = try StyleEmbedder(backbone: backbone, regionStage: config.style.regionStage,
                                         embeddingDimension: config.model.embeddingDimension, dropout: config.model.dropout)
        if config.style.freezeBackbone { try embedder.freeze(["backbone"]) }
        let network = TaskNetwork(module: embedder, normalization: normalization(of: backbone)) { x in
            try embedder.global(embedder.features(x).pooled).normalized(dim: 1)
        }
        return (embedder, network)
    }

    public var dataSummary: String {
        "\(counted(trainSet.count, "training triplet")) from the training outfits, \(counted(validation.count, "validation question"))"
            + " (fill in the blank, 4 candidates) on held-out outfits"
    }

    public var unreadablePhotos: Int { unreadable.count }

    public func batches(epoch: Int, skip: Int) throws -> AnyIterator<StyleBatch> {
        try unreadable.check(unreadable.count, of: trainSet.count, split: "training", root: config.data.root)
        let n = network.normalization
        let loaded = trainSet.batches(plan: trainSet.shuffledPlan(epoch: epoch, batchSize: config.batchSize, seed: config.seed), epoch: epoch,
                                      skip: skip, seed: config.seed, workers: config.data.workers, collate: StyleBatch.collate(mean: n.mean, std: n.std))
        let unreadable = unreadable
        return AnyIterator {
            guard let next = loaded.next() else { unreadable.record(loaded.failures); return nil }
            unreadable.record(next.failures)
            return next.batch
        }
    }

    /// Backbone features: with a frozen backbone, in eval mode (ImageNet statistics) and without a graph.
    func features(_ images: Tensor) throws -> StyleEmbedder.Features {
        guard config.style.freezeBackbone else { return try embedder.features(images.to(device)) }
        embedder.backbone.eval()
        return try withoutGrad { try embedder.features(images.to(device)) }
    }

    public func loss(_ batch: StyleBatch) throws -> BatchLoss {
        let (scene, positive, negative) = (try features(batch.scenes), try features(batch.positives), try features(batch.negatives))
        let kind = config.style.distance
        let dp = try embedder.distance(kind, scene: scene, product: positive), dn = try embedder.distance(kind, scene: scene, product: negative)
        let loss = try Loss.tripletMargin(positiveDistance: dp, negativeDistance: dn, margin: config.style.margin)
        let (p, q) = (try dp.floats(), try dn.floats())
        let ordered = Double(zip(p, q).filter { $0 < $1 }.count) / Double(max(p.count, 1))
        return BatchLoss(loss, metrics: ["triplet_accuracy": ordered])
    }

    /// Fill-in-the-blank accuracy (the candidate closest to the board of the other items wins) and the
    /// compatibility AUC of the same distances (each question's true item against its three distractors).
    func fitbScores(_ questions: [FITBQuestion]) throws -> (accuracy: Double, auc: Double) {
        let scorer = StyleScorer(embedder: embedder, normalization: network.normalization, distance: config.style.distance, device: device)
        let scores = try questions.enumerated().map { index, question in
            let pictures = validationSet.pictures
            // Laid out as `lookkit eval fitb` lays out line index + 1 of a file listing these questions.
            return try scorer.distances(scene: pictures.scene(of: question.context.map(OutfitSceneSet.photo), index: index + 1),
                                        candidates: question.answers.map { try pictures.product(OutfitSceneSet.photo($0)) }).map { -$0 }
        }
        let compatible = zip(scores, questions).map { $0[$1.correct] }
        let incompatible = zip(scores, questions).flatMap { s, q in s.indices.filter { $0 != q.correct }.map { s[$0] } }
        return (try CompatibilityMetrics.fillInTheBlankAccuracy(candidateScores: scores, answers: questions.map(\.correct)),
                try CompatibilityMetrics.compatibilityAUC(compatibleScores: compatible, incompatibleScores: incompatible))
    }

    public func validate() throws -> ValidationScore {
        let (accuracy, auc) = try fitbScores(validation)
        return ValidationScore(metric: "fitb_accuracy", value: accuracy, all: ["fitb_accuracy": accuracy, "compatibility_auc": auc])
    }

    public func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        let (accuracy, auc) = try fitbScores(validation)
        print(String(format: "FITB accuracy %.4f, compatibility AUC %.4f on %@ (%@ distance; chance 0.25 and 0.5)", accuracy, auc,
                     counted(validation.count, "held-out question"), config.style.distance.rawValue))
        try run.logResults(["fitb_accuracy": accuracy, "compatibility_auc": auc, "questions": Double(validation.count)],
                           dataset: config.data.root, split: "val")
        return []
    }
}

/// Scores candidate products against one scene with a style embedder (eval mode, no graph): what
/// training's validation and `lookkit eval fitb` share.
public struct StyleScorer {
    public let embedder: StyleEmbedder
    public let normalization: (mean: [Float], std: [Float])
    public let distance: StyleDistance
    public let device: Device

    public init(embedder: StyleEmbedder, normalization: (mean: [Float], std: [Float]), distance: StyleDistance, device: Device) {
        (self.embedder, self.normalization, self.distance, self.device) = (embedder, normalization, distance, device)
    }

    /// The chosen distance from the scene to each candidate (smaller: more compatible).
    public func distances(scene: Image, candidates: [Image]) throws -> [Double] {
        let wasTraining = embedder.training
        embedder.eval()
        defer { embedder.train(wasTraining) }
        let (mean, std) = normalization
        return try withoutGrad {
            let s = try embedder.features(imageBatchTensor([scene], mean: mean, std: std).to(device))
            let products = try embedder.features(imageBatchTensor(candidates, mean: mean, std: std).to(device))
            let repeated = StyleEmbedder.Features(pooled: try s.pooled.expand([candidates.count, -1]),
                                                  regions: try s.regions.expand([candidates.count, -1, -1]))
            return try embedder.distance(distance, scene: repeated, product: products).floats().map(Double.init)
        }
    }
}

extension StyleScorer {
    /// Fill-in-the-blank on questions from a file: each scene is a board of the question's context
    /// photos (laid out by its line number), each candidate its photo on white. A question whose
    /// photos cannot be read is skipped (named on stderr) and counted.
    public func fitb(_ questions: [FITBFileQuestion], images: URL, pictures: OutfitPictures) throws -> (accuracy: Double, answered: Int, unreadable: Int) {
        var scores: [[Double]] = [], answers: [Int] = []
        var bar = ProgressBar(total: questions.count, label: "fitb", unit: "question")
        for (done, question) in questions.enumerated() {
            do {
                let scene = try pictures.scene(of: question.context.map { FITBFile.image(for: $0, in: images) }, index: question.line)
                let candidates = try question.candidates.map { try pictures.product(FITBFile.image(for: $0, in: images)) }
                scores.append(try distances(scene: scene, candidates: candidates).map { -$0 })
                answers.append(question.answer)
            } catch let error as VisionError {
                FileHandle.standardError.write(Data("skipped question on line \(question.line): \(error)\n".utf8))
            }
            bar.update(done + 1)
        }
        return (try CompatibilityMetrics.fillInTheBlankAccuracy(candidateScores: scores, answers: answers), answers.count,
                questions.count - answers.count)
    }
}
