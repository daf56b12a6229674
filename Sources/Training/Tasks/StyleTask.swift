import Datasets
import Evaluation
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Models
import StyleEmbedding
import Torch

/// Complete the Look: the style embedder learns that an outfit's held-out item is closer to the board
/// of its other items than a same-family product from elsewhere (outfit triplets, MANGO), and/or that a
/// street photo's masked garment is closer to the photo than another photo's garment (scene triplets);
/// triplet margin on the configured distance. Outfits are split by outfit with no product in two splits;
/// validated and tested by fill-in-the-blank accuracy on held-out outfits (4 candidates of one family).
public final class StyleTask: TrainingTask {
    let config: RunConfig
    let device: Device
    let embedder: StyleEmbedder
    public let network: TaskNetwork
    let trainSet: JoinedDataset<OutfitSceneSet, StreetSceneSet>
    let validation: [FITBQuestion]
    let validationSet: OutfitSceneSet
    public private(set) var dataIssues: [DataIssue]
    let unreadable: UnreadablePhotos

    public var classes: [String] { [] }

    public init(config: RunConfig, device: Device) throws {
        (self.config, self.device) = (config, device)
        let (train, held, issues) = try Self.outfitSplits(config)
        dataIssues = issues
        let cache = try ImageCache()
        let style = config.style
        let boards = try OutfitSceneSet(style.triplets == .scene ? [] : train, sceneSize: config.data.imageSize, productSize: style.productSize,
                                        seed: config.seed, cache: cache)
        var scenes: [Scene] = []
        if style.triplets != .outfit {
            let photos = try YOLOReader.read(URL(fileURLWithPath: style.scenes))
            dataIssues += photos.issues
            // The detector's carved validation photos stay out of every training set.
            scenes = photos.scenes(of: photos.trainingSplits(validationFraction: RunConfig.DetectorConfig().validationFraction, seed: config.seed).train)
        }
        trainSet = JoinedDataset(boards, StreetSceneSet(scenes, sceneSize: config.data.imageSize, productSize: style.productSize, seed: config.seed,
                                                        sameCategoryNegatives: style.sameCategoryNegatives))
        validationSet = try OutfitSceneSet(held, sceneSize: config.data.imageSize, productSize: style.productSize, seed: config.seed, cache: cache)
        validation = try Self.validationQuestions(config)
        guard trainSet.count > 0, !validation.isEmpty else {
            throw MalformedFile(file: config.data.root, reason: "needs training triplets and validation questions (found \(trainSet.count) and \(validation.count))")
        }
        (embedder, network) = try Self.make(config)
        unreadable = UnreadablePhotos(maxFraction: config.data.maxUnreadable)
    }

    public static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork { try make(config).network }

    /// The config's outfits split by outfit (no product in both): training and held-out validation.
    public static func outfitSplits(_ config: RunConfig) throws -> (train: [Outfit], validation: [Outfit], issues: [DataIssue]) {
        let outfits = try MangoReader.readOutfits(URL(fileURLWithPath: config.data.root))
        let f = config.style.validationFraction
        let splits = splitWithoutLeakage(outfits.records, fractions: [("train", 1 - f), ("val", f)], seed: config.seed)
        return (splits[0].groups, splits[1].groups, outfits.issues)
    }

    /// The validation questions of the config's run, as it asks them (same outfits, blanks, distractors, order).
    public static func validationQuestions(_ config: RunConfig) throws -> [FITBQuestion] {
        fillInTheBlank(try outfitSplits(config).validation, seed: config.seed, blanksPerOutfit: config.style.validationBlanks)
    }

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
        "\(counted(trainSet.first.count, "outfit triplet")) from the training outfits, \(counted(trainSet.second.count, "scene triplet"))"
            + " from street photos, \(counted(validation.count, "validation question")) (fill in the blank, 4 candidates) on held-out outfits"
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
        return try embedder.backbone.frozenForward { try embedder.features(images.to(device)) }
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
    /// compatibility AUC of the same distances.
    func fitbScores(_ questions: [FITBQuestion]) throws -> FITBScores {
        let scorer = StyleScorer(embedder: embedder, normalization: network.normalization, distance: config.style.distance, device: device)
        let pictures = validationSet.pictures
        let scores = try questions.enumerated().map { index, question in
            // Laid out as `lookkit eval fitb` lays out line index + 1 of a file listing these questions.
            try scorer.scores(context: question.context.map(OutfitSceneSet.photo), candidates: question.answers.map(OutfitSceneSet.photo),
                              index: index + 1, pictures: pictures)
        }
        return try FITBScores(scores: scores, answers: questions.map(\.correct), skipped: 0, rule: "style \(config.style.distance.rawValue) distance")
    }

    public func validate() throws -> ValidationScore {
        let scores = try fitbScores(validation)
        return ValidationScore(metric: "fitb_accuracy", value: scores.accuracy, all: ["fitb_accuracy": scores.accuracy, "compatibility_auc": scores.auc])
    }

    public func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        let scores = try fitbScores(validation)
        print(String(format: "FITB accuracy %.4f [95%% CI %.3f, %.3f], compatibility AUC %.4f on %@ (%@ distance; chance 0.25 and 0.5)",
                     scores.accuracy, scores.accuracyLow, scores.accuracyHigh, scores.auc,
                     counted(validation.count, "held-out question"), config.style.distance.rawValue))
        try run.logResults(["fitb_accuracy": scores.accuracy, "compatibility_auc": scores.auc, "questions": Double(validation.count)],
                           dataset: config.data.root, split: "val")
        let table = MarkdownTable(headers: FITBScores.tableHeader, rows: [scores.row("\(config.name) (\(scores.rule))", trainingSeconds: nil)])
        return [.table(table, caption: "Fill in the blank on \(counted(validation.count, "held-out question")) (chance 0.25)"),
                .pictures(title: "Where the local distance looks: attention over the board for the true item", try attentionExamples(in: folder))]
    }
}
