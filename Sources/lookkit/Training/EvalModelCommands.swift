import ArgumentParser
import Datasets
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import ONNXExport
import StyleEmbedding
import Torch
import Training

/// Which photos to score: a run's own test split (from its config) or any labelled folder.
struct PhotoSetOptions: ParsableArguments {
    @Option(help: "Folder of images to score instead of the run's test split.") var images: String?
    @Option(help: "CSV naming each image (id column) and its label.") var labels: String?
    @Option(help: "Column naming the image file, with or without extension.") var idColumn = "id"
    @Option(help: "Column holding the label.") var labelColumn = "label"
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Image size (default: the run's).") var size: Int?
    @Flag(help: "Machine-readable output.") var json = false

    /// Which of a run's splits `--split` scores.
    enum RunSplit: String, ExpressibleByArgument { case test, validation }

    func validate() throws {
        if images != nil, labels == nil { throw ValidationError("--images needs --labels labels.csv") }
    }

    /// The user's folder (leave-one-out), else the run's test split; and where logged results are filed.
    func photos(_ config: RunConfig?) throws -> (photos: EvaluationPhotos, dataset: String) {
        let chosen = try photos(config, split: .test)
        return (chosen.photos, chosen.dataset)
    }

    /// As `photos(_:)`, or the run's validation split, with the classes the run kept out of training
    /// (none for a user's folder: leave-one-out has no seen/unseen split).
    func photos(_ config: RunConfig?, split: RunSplit) throws -> (photos: EvaluationPhotos, dataset: String, unseenClasses: Set<String>) {
        if let images, let labels {
            let (photos, issues) = try EvaluationPhotos.leaveOneOut(images: URL(fileURLWithPath: images), labels: URL(fileURLWithPath: labels),
                                                                     idColumn: idColumn, labelColumn: labelColumn)
            for issue in issues.prefix(10) { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
            return (photos, images, [])
        }
        guard let config else { throw ValidationError("give --images/--labels, or --config for the run's data") }
        let splits = try LabeledPhotoSplits.load(config.data)
        return (split == .test ? splits.test : splits.validation, config.data.root, splits.unseenClasses)
    }

    /// Numbers as JSONSerialization writes them (they parse back to the same doubles).
    func printJSON(_ values: [String: Double]) throws {
        print(String(decoding: try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]), as: UTF8.self))
    }

    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

extension EvalCommand {
    /// `lookkit eval embedder`: retrieval quality of a trained embedder or of raw backbone features.
    struct Embedder: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "P@1/5/10, mAP@10, relevance@10 and nDCG@10 of an embedder's nearest neighbours.",
            discussion: """
                Scores `--checkpoint best.safetensors` from `lookkit train`, the weights of `--run ID` (with \
                the scores logged to that run), or raw pooled features of `--backbone NAME [--weights FILE]` \
                (e.g. an untrained floor, or ImageNet features). Without --images, the run's own test split is \
                used (test photos query test + validation); with --images/--labels every image queries all \
                the others (leave-one-out).
                """)
        @OptionGroup var source: EmbeddingNetworkOptions
        @Option(help: "Data config for --backbone without --images (a run config).") var config: String?
        @Option(help: "Row name in the results table.") var name: String?
        @Option(help: "The run's split to score without --images: test, or validation (with data.unseenClasses: seen and unseen classes).")
        var split: PhotoSetOptions.RunSplit = .test
        @OptionGroup var photoSet: PhotoSetOptions

        func run() throws {
            let device = try Device.usable(photoSet.device)
            var (network, trainedConfig, loggedRun, trainedSize) = try source.network(logging: true)
            let runConfig = try trainedConfig ?? config.map { try RunConfig.load(URL(fileURLWithPath: $0)) }
            // --config also says how raw backbone features fit photos, unless --resize does.
            if source.backbone != nil, source.resize == nil, let runConfig { network.resize = runConfig.data.resize }
            try network.module.move(to: device)
            let (photos, dataset, unseenClasses) = try photoSet.photos(runConfig, split: split)
            var top: [[Int]] = []
            // --config sizes raw backbone features; trained weights and exports keep their own size.
            let size = photoSet.size ?? (source.backbone != nil ? runConfig?.data.imageSize : nil) ?? trainedSize
            let scores = try HeldOutClassScores(try network.outputs(for: photos, size: size, workers: 2, device: device),
                                                unseenClasses: unseenClasses, top: &top)
            if photoSet.json {
                try photoSet.printJSON(scores)
            } else {
                let seconds = try source.trained.checkpoint.flatMap { source.runtime == .libtorch ? try RestoredModel.trainingSeconds(of: URL(fileURLWithPath: $0)) : nil }
                print(scores.table(name ?? source.rowName(loggedRun), trainingSeconds: seconds).markdown)
            }
            try source.trained.log(scores.asResults, to: loggedRun, dataset: dataset, split: photos.split)
        }
    }

    /// `lookkit eval gender`: accuracy and macro-F1 of a trained classifier.
    struct Gender: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy, macro-F1 and per-class P/R/F1 of a trained gender (or any) classifier.")
        @OptionGroup var weightsSource: TrainedWeights
        @OptionGroup var photoSet: PhotoSetOptions
        @Option(help: "libtorch, or onnx: --checkpoint names a file of `lookkit export`, run by OpenCV DNN (needs --images/--labels).")
        var runtime: Runtime = .libtorch

        func validate() throws {
            try weightsSource.requireOne()
            if runtime == .onnx, weightsSource.checkpoint == nil || photoSet.images == nil {
                throw ValidationError("--runtime onnx needs --checkpoint FILE.onnx and --images/--labels (the file carries no run config)")
            }
        }

        func run() throws {
            if runtime == .onnx { return try runExported() }
            let device = try Device.usable(photoSet.device)
            let trained = try weightsSource.source.resolve()
            let restored = try RestoredModel(checkpoint: trained.file, for: .classification)
            try restored.network.module.move(to: device)
            let (photos, dataset) = try photoSet.photos(restored.config)
            let scores = try ClassifierScores(network: restored.network, photos: photos, classes: restored.classes,
                                              size: photoSet.size ?? restored.config.data.imageSize, workers: 2, device: device)
            if photoSet.json {
                try photoSet.printJSON(scores.asResults.merging(["photos": Double(scores.matrix.total)]) { a, _ in a })
            } else {
                print(scores.summary(restored.config.model.architecture.rawValue))
            }
            try weightsSource.log(scores.asResults, to: trained.run, dataset: dataset, split: photos.split == "leave-one-out" ? "all" : photos.split)
        }

        /// The exported classifier through OpenCV DNN, preprocessed from its metadata.
        private func runExported() throws {
            let model = try ExportedModel(contentsOf: URL(fileURLWithPath: weightsSource.checkpoint!))
            let (photos, _) = try photoSet.photos(nil)
            let scores = try ClassifierScores(network: model.network, photos: photos, classes: model.classes, size: photoSet.size ?? model.size,
                                              workers: 2, device: .cpu)
            if photoSet.json {
                try photoSet.printJSON(scores.asResults.merging(["photos": Double(scores.matrix.total)]) { a, _ in a })
            } else {
                print(scores.summary("\(model.task) (ONNX, OpenCV DNN)"))
            }
        }
    }
}

extension EvalCommand {
    /// `lookkit eval fitb`: fill-in-the-blank accuracy of an embedding by the mean-cosine rule.
    struct Fitb: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill-in-the-blank accuracy: the candidate with the highest mean cosine to the context items wins.",
            discussion: """
                --questions is JSONL, one {"context": [ids], "candidates": [ids], "answer": index} per line; an id names                 <images>/<id>.jpg. The model sees pixels only, each question on its own. A question naming a missing image                 is skipped (named, with its line, and counted); a malformed line or an answer out of range is an error.
                """)
        @OptionGroup var source: EmbeddingNetworkOptions
        @Flag(help: "Score candidates at random (seeded by --seed): the floor row of the table.") var random = false
        @Option(help: "Questions (JSONL).") var questions: String
        @Option(help: "Folder of <id>.jpg images.") var images: String
        @Option(help: "Image size (default: the run's; 224 for --backbone).") var size: Int?
        @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
        @Flag(help: "JSON output (accuracy, accuracy_low/high, auc, questions, skipped, rule).") var json = false
        @Option(help: "Distance of a style checkpoint (global, local, hybrid; default: the one it trained on).") var distance: StyleDistance?
        @Option(help: "Print one markdown row of the FITB table under this name.") var name: String?

        func validate() throws {
            if random, source.given { throw ValidationError("--random scores no model: drop --checkpoint/--run/--backbone") }
        }

        func run() throws {
            let (file, folder) = (URL(fileURLWithPath: questions), URL(fileURLWithPath: images))
            let (read, skipped) = try FITBFile.read(file, images: folder)
            for issue in skipped { FileHandle.standardError.write(Data("skipped \(issue)\n".utf8)) }
            if !skipped.isEmpty { FileHandle.standardError.write(Data("\(counted(skipped.count, "question")) skipped: missing images\n".utf8)) }
            let device = try Device.usable(device)
            let scores: FITBScores
            var trainingSeconds: Double?
            if random {
                scores = try FITBScores.random(read, skipped: skipped.count, seed: source.seed)
            } else if source.runtime == .libtorch, let checkpoint = source.trained.checkpoint,
                      try RestoredModel.task(of: URL(fileURLWithPath: checkpoint)) == .style {
                let restored = try RestoredModel(checkpoint: URL(fileURLWithPath: checkpoint), for: .style)
                try restored.network.module.move(to: device)
                guard let embedder = restored.network.module as? StyleEmbedder else { throw ValidationError("\(checkpoint) holds no style embedder") }
                let scorer = StyleScorer(embedder: embedder, normalization: restored.network.normalization,
                                         distance: distance ?? restored.config.style.distance, device: device)
                let pictures = OutfitPictures(sceneSize: size ?? restored.config.data.imageSize, productSize: restored.config.style.productSize,
                                              seed: restored.config.seed)
                scores = try scorer.fitb(read, images: folder, pictures: pictures, skipped: skipped.count)
                trainingSeconds = restored.trainingSeconds
            } else {
                let (network, _, _, trainedSize) = try source.network(logging: false)
                try network.module.move(to: device)
                scores = try FITBScores(network: network, questions: read, skipped: skipped.count, images: folder,
                                        size: size ?? trainedSize, workers: 2, device: device)
                if source.runtime == .libtorch, let checkpoint = source.trained.checkpoint {
                    trainingSeconds = try RestoredModel.trainingSeconds(of: URL(fileURLWithPath: checkpoint))
                }
            }
            if json {
                print(try jsonString(scores))
            } else if let name {
                print(MarkdownTable(headers: FITBScores.tableHeader, rows: [scores.row(name, trainingSeconds: trainingSeconds)]).markdown)
            } else {
                print(String(format: "FITB accuracy %.4f [95%% CI %.3f, %.3f], compatibility AUC %.4f on %@ (%@ skipped; %@)", scores.accuracy,
                             scores.accuracyLow, scores.accuracyHigh, scores.auc, counted(scores.questions, "question"), String(scores.skipped), scores.rule))
            }
        }
    }
}

extension Architecture: ExpressibleByArgument {}

/// Which engine runs a model: LookKit's own (libtorch) or an exported ONNX file through OpenCV DNN.
enum Runtime: String, ExpressibleByArgument { case libtorch, onnx }
extension ResizeRule: ExpressibleByArgument {}
extension StyleDistance: ExpressibleByArgument {}

/// The network that embeds: trained weights (`--checkpoint`, `--run`) or the raw pooled features of
/// a backbone (`--backbone NAME [--weights FILE]`: ImageNet features, or an untrained floor).
struct EmbeddingNetworkOptions: ParsableArguments {
    /// Raw backbone features are scored at the ImageNet resolution unless told otherwise.
    static let backboneSize = 224

    @OptionGroup var trained: TrainedWeights
    @Option(help: "Use raw pooled features of this backbone instead (\(Architecture.allowed)).") var backbone: Architecture?
    @Option(help: "Pretrained weights for --backbone.") var weights: String?
    @Option(help: "Seed for a randomly initialised --backbone (the untrained floor).") var seed: UInt64 = 0
    @Option(help: "libtorch, or onnx: --checkpoint names a file of `lookkit export`, run by OpenCV DNN.") var runtime: Runtime = .libtorch
    @Option(help: "How --backbone features fit photos: \(ResizeRule.allowed) (default: --config's, else stretch; trained weights keep their run's).")
    var resize: ResizeRule?

    /// Whether any model was named.
    var given: Bool { trained.checkpoint != nil || trained.run != nil || backbone != nil }

    func validate() throws {
        guard [trained.checkpoint != nil, trained.run != nil, backbone != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("give one of --checkpoint FILE, --run ID or --backbone NAME")
        }
    }

    /// The network, the run config that trained it (none for a backbone), the `--run` run, and the
    /// image size the network was made for (the run's, an export's, else ImageNet's 224);
    /// `logging`: the run log is opened for writing scores.
    func network(logging: Bool) throws -> (network: TaskNetwork, config: RunConfig?, run: Run?, size: Int) {
        guard given else { throw ValidationError("give one of --checkpoint FILE, --run ID or --backbone NAME") }
        if runtime == .onnx {
            guard let file = trained.checkpoint else { throw ValidationError("--runtime onnx needs --checkpoint FILE.onnx") }
            let exported = try ExportedModel(contentsOf: URL(fileURLWithPath: file))
            return (try exported.network, nil, nil, exported.size)
        }
        if let backbone {
            Torch.manualSeed(seed)
            var network = try backbone.featureNetwork(weights: weights)
            network.resize = resize ?? .stretch
            return (network, nil, nil, Self.backboneSize)
        }
        let resolved = try trained.source.resolve(logging: logging)
        let restored = try RestoredModel(checkpoint: resolved.file, for: .embedding)
        return (restored.network, restored.config, resolved.run, restored.config.data.imageSize)
    }

    func rowName(_ run: Run?) -> String {
        trained.checkpoint ?? run.map { "run \($0.id)" } ?? backbone.map { $0.rawValue + (weights == nil ? " (untrained)" : " features") } ?? "model"
    }
}
