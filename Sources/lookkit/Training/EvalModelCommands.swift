import ArgumentParser
import Datasets
import Experiments
import Foundation
import Models
import Torch

/// Which photos to score: a run's own evaluation split (from its config) or any labelled set.
struct PhotoSetOptions: ParsableArguments {
    @Option(help: "Folder of images to score instead of the run's evaluation split.") var images: String?
    @Option(help: "CSV naming each image (id column) and its label.") var labels: String?
    @Option(help: "Column naming the image file, with or without extension.") var idColumn = "id"
    @Option(help: "Column holding the label.") var labelColumn = "label"
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Image size (default: the run's).") var size: Int?
    @Flag(help: "Machine-readable output.") var json = false

    /// Where results logged with --run are filed: the user's folder, or the run's own data.
    func resultsDataset(_ config: RunConfig) -> String { images ?? config.data.root }

    /// The user's set, or nil to use the run's own split.
    func userPhotos() throws -> [LabeledImage]? {
        guard let images else { return nil }
        guard let labels else { throw ValidationError("--images needs --labels labels.csv") }
        let loaded = try LabelsCSVReader.read(URL(fileURLWithPath: labels), images: URL(fileURLWithPath: images),
                                              idColumn: idColumn, labelColumn: labelColumn)
        for issue in loaded.issues.prefix(10) { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
        guard !loaded.records.isEmpty else { throw ValidationError("\(labels): no usable rows") }
        return loaded.records
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
                (e.g. an untrained floor, or ImageNet features). Without --images, the run's own split is \
                used (test photos query test + validation); with --images/--labels every image queries all \
                the others (leave-one-out).
                """)
        @OptionGroup var weightsSource: TrainedWeights
        @Option(help: "Score raw features of this backbone instead.") var backbone: String?
        @Option(help: "Pretrained weights for --backbone.") var weights: String?
        @Option(help: "Data config for --backbone without --images (a run config JSON).") var config: String?
        @Option(help: "Row name in the results table.") var name: String?
        @Option(help: "Seed for a randomly initialised --backbone (the untrained floor).") var seed: UInt64 = 0
        @OptionGroup var photos: PhotoSetOptions

        func validate() throws {
            guard [weightsSource.checkpoint != nil, weightsSource.run != nil, backbone != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("give one of --checkpoint FILE, --run ID or --backbone NAME")
            }
        }

        func run() throws {
            let device = try Device.usable(photos.device)
            let (model, output, runConfig): (Module, (Tensor) throws -> Tensor, RunConfig?)
            var loggedRun: Run?
            let normalization: (mean: [Float], std: [Float])
            if let backbone {
                Torch.manualSeed(seed)
                let features = try Architectures.backbone(backbone, weights: weights)
                (model, output) = (features, { try features.pooledFeatures($0).normalized(dim: 1) })
                normalization = Architectures.normalization(of: features)
                runConfig = try config.map { try RunConfig.load(URL(fileURLWithPath: $0)) }
            } else {
                let trained = try weightsSource.resolve()
                let restored = try TrainingTask.restore(trained.file)
                (model, output, runConfig, loggedRun) = (restored.task.model, restored.task.output, restored.config, trained.run)
                normalization = restored.task.normalization
            }
            try model.move(to: device)
            let (queries, gallery, size) = try photoSets(runConfig)
            let embeddings = try embedPhotos(gallery, size: size, workers: 2, device: device, label: "embed", model: model,
                                             normalization: normalization, embed: output)
            var top: [[Int]] = []
            let scores = try RetrievalScores(queries: embeddings.slice(0, 0, queries.count), queryLabels: queries.map(\.label),
                                             queryRows: Array(queries.indices),
                                             gallery: embeddings, galleryLabels: gallery.map(\.label), topK: &top)
            if photos.json {
                print(String(decoding: try JSONEncoder().encode(scores), as: UTF8.self))
            } else {
                print(RetrievalScores.tableHeader)
                print(scores.tableRow(name ?? weightsSource.checkpoint ?? loggedRun.map { "run \($0.id)" } ?? backbone ?? "model"))
            }
            if let runConfig {
                try weightsSource.log(scores.asResults, to: loggedRun, dataset: photos.resultsDataset(runConfig),
                                      split: photos.images == nil ? "test" : "leave-one-out")
            }
        }

        /// Queries come first in the gallery, so query i is gallery row i.
        private func photoSets(_ config: RunConfig?) throws -> (queries: [LabeledImage], gallery: [LabeledImage], size: Int) {
            let size = photos.size ?? config?.data.imageSize ?? 64
            if let user = try photos.userPhotos() { return (user, user, size) }
            guard let config else { throw ValidationError("give --images/--labels, or --config for the run's data") }
            let data = try TaskData.load(config.data, seed: config.seed)
            return (data.queries, data.gallery, size)
        }
    }

    /// `lookkit eval gender`: accuracy and macro-F1 of a trained classifier.
    struct Gender: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy, macro-F1 and per-class P/R/F1 of a trained gender (or any) classifier.")
        @OptionGroup var weightsSource: TrainedWeights
        @OptionGroup var photos: PhotoSetOptions

        func validate() throws { try weightsSource.requireOne() }

        func run() throws {
            let device = try Device.usable(photos.device)
            let trained = try weightsSource.resolve()
            let restored = try TrainingTask.restore(trained.file)
            try restored.task.model.move(to: device)
            let photoSet = try photos.userPhotos() ?? TaskData.load(restored.config.data, seed: restored.config.seed).queries
            var data = restored.config.data
            data.imageSize = photos.size ?? data.imageSize
            let scores = try ClassifierScores(model: restored.task.model, photos: photoSet, classes: restored.classes,
                                              config: data, normalization: restored.task.normalization, device: device)
            if photos.json {
                print(String(decoding: try JSONSerialization.data(withJSONObject: scores.asResults.merging(
                    ["photos": Double(scores.matrix.total)]) { a, _ in a }, options: [.sortedKeys]), as: UTF8.self))
            } else {
                print(scores.summary(restored.config.model.architecture))
            }
            try weightsSource.log(scores.asResults, to: trained.run, dataset: photos.resultsDataset(restored.config),
                                  split: photos.images == nil ? "held-out" : "all")
        }
    }
}
