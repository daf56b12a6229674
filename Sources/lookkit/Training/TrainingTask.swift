import ArgumentParser
import Datasets
import Evaluation
import Experiments
import Foundation
import Models
import Torch

/// What differs between tasks: the model, how batches are drawn, the loss, and the final evaluation.
struct TrainingTask {
    let model: any UnaryLayer
    /// Builds the function giving each epoch's batch plan (indices into the training set).
    let planner: (ClassificationSet, RunConfig) throws -> (Int) -> [[Int]]
    let loss: (_ images: Tensor, _ labels: Tensor) throws -> BatchLoss
    /// What the trained model is used for: unit embeddings (embedder, autoencoder) or class logits.
    let output: (Tensor) throws -> Tensor
    /// Input statistics the model's backbone expects.
    let normalization: (mean: [Float], std: [Float])
    /// Scores the trained model into the run log; retrieval tasks also return a grid of examples.
    let evaluate: (TaskData, RunConfig, Device, Run) throws -> RetrievalGrid?

    /// The model of a `best.safetensors` written by `lookkit train`, rebuilt from the config and
    /// classes stored in the file.
    static func restore(_ checkpoint: URL) throws -> (task: TrainingTask, config: RunConfig, classes: [String]) {
        let metadata = try SafeTensors.metadata(checkpoint)
        guard let json = metadata["config"], let config = try? JSONDecoder().decode(RunConfig.self, from: Data(json.utf8)) else {
            throw ValidationError("\(checkpoint.path): no LookKit run config in its metadata (was it written by `lookkit train`?)")
        }
        let classes = (metadata["classes"]).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        var restoring = config
        restoring.model.weights = nil  // the checkpoint holds every weight
        let task = try make(restoring, classes: classes)
        try task.model.load(from: checkpoint)
        task.model.eval()
        return (task, config, classes)
    }

    static func make(_ config: RunConfig, classes: [String]) throws -> TrainingTask {
        switch config.task {
        case "embedder": return try embedder(config)
        case "autoencoder": return try autoencoder(config)
        case "gender": return try classifier(config, classes: classes)
        default: throw ValidationError("unknown task '\(config.task)' (embedder, autoencoder, gender)")
        }
    }

    static func shuffled(_ set: ClassificationSet, _ config: RunConfig) -> (Int) -> [[Int]] {
        { epoch in set.shuffledPlan(epoch: epoch, batchSize: config.batchSize, seed: config.seed) }
    }

    static func embedder(_ config: RunConfig) throws -> TrainingTask {
        let triplet = config.triplet
        guard let distance = Loss.Distance(rawValue: triplet.distance) as Loss.Distance? else {
            throw ValidationError("unknown triplet distance '\(triplet.distance)' (euclidean, squaredEuclidean, cosine)")
        }
        let backbone = try Architectures.backbone(config.model.architecture, weights: config.model.weights)
        let normalization = Architectures.normalization(of: backbone)
        let model = try TripletEmbedder(backbone: backbone, embeddingDimension: config.model.embeddingDimension, dropout: config.model.dropout)
        let planner: (ClassificationSet, RunConfig) throws -> (Int) -> [[Int]] = { set, config in
            guard triplet.mining.hasPrefix("batch-") else { return shuffled(set, config) }
            let sampler = try PKBatchSampler(labels: set.records.map(\.label), p: triplet.classesPerBatch,
                                             k: triplet.imagesPerClass, seed: config.seed)
            return { sampler.batches(epoch: $0) }
        }
        return TrainingTask(model: model, planner: planner, loss: { images, labels in
            let embeddings = try model(images)
            switch triplet.mining {
            case "batch-hard":
                return BatchLoss(try Loss.batchHardTriplet(embeddings, labels: labels, margin: triplet.margin, distance: distance))
            case "batch-all":
                return BatchLoss(try Loss.batchAllTriplet(embeddings, labels: labels, margin: triplet.margin, distance: distance))
            case "random":
                let (positive, negative) = try randomTriplets(labels)
                return BatchLoss(try Loss.tripletMargin(anchor: embeddings, positive: embeddings.indexSelect(0, positive),
                                                        negative: embeddings.indexSelect(0, negative),
                                                        margin: triplet.margin, distance: distance))
            default: throw ValidationError("unknown mining '\(triplet.mining)' (batch-hard, batch-all, random)")
            }
        }, output: { try model($0) }, normalization: normalization, evaluate: { data, config, device, run in
            try evaluateRetrieval(data, config, device, run, name: "\(config.model.architecture) triplet", model: model,
                                  normalization: normalization) { try model($0) }
        })
    }

    /// For every anchor a random other sample of its label and a random sample of another label,
    /// drawn with libtorch's generator (saved in checkpoints, so resumed runs draw the same).
    static func randomTriplets(_ labels: Tensor) throws -> (positive: Tensor, negative: Tensor) {
        let n = labels.shape[0]
        let same = try labels.unsqueezed(1).eq(labels.unsqueezed(0))
        let index = try Tensor.arange(0, Double(n)).to(labels.device)
        let notSelf = try index.unsqueezed(1).ne(index.unsqueezed(0))
        let noise = try Tensor.rand([n, n], device: labels.device)
        let positive = try (noise * same.logicalAnd(notSelf).to(dtype: .float32)).argmax(1)
        let negative = try (noise * same.logicalNot().to(dtype: .float32)).argmax(1)
        return (positive, negative)
    }

    static func autoencoder(_ config: RunConfig) throws -> TrainingTask {
        let model = try ConvAutoencoder(imageSize: config.data.imageSize, embeddingDimension: config.model.embeddingDimension)
        return TrainingTask(model: model, planner: { set, config in shuffled(set, config) }, loss: { images, _ in
            BatchLoss(try Loss.mse(model(images), images))
        }, output: { try model.embed($0) }, normalization: (ImageNet.mean, ImageNet.std), evaluate: { data, config, device, run in
            try evaluateRetrieval(data, config, device, run, name: "autoencoder", model: model,
                                  normalization: (ImageNet.mean, ImageNet.std)) { try model.embed($0) }
        })
    }

    static func classifier(_ config: RunConfig, classes: [String]) throws -> TrainingTask {
        let backbone = try Architectures.backbone(config.model.architecture, weights: config.model.weights)
        let normalization = Architectures.normalization(of: backbone)
        let model = try BackboneClassifier(backbone: backbone, classes: classes.count, dropout: config.model.dropout)
        return TrainingTask(model: model, planner: { set, config in shuffled(set, config) }, loss: { images, labels in
            BatchLoss(try Loss.crossEntropy(model(images), labels))
        }, output: { try model($0) }, normalization: normalization, evaluate: { data, config, device, run in
            let scores = try ClassifierScores(model: model, photos: data.queries, classes: classes, config: config.data,
                                              normalization: normalization, device: device)
            print(scores.summary(config.model.architecture))
            try run.logResults(scores.asResults, dataset: config.data.root, split: "held-out")
            return nil
        })
    }

    static func evaluateRetrieval(_ data: TaskData, _ config: RunConfig, _ device: Device, _ run: Run, name: String,
                                  model: Module, normalization: (mean: [Float], std: [Float]),
                                  embed: (Tensor) throws -> Tensor) throws -> RetrievalGrid {
        let gallery = try embedPhotos(data.gallery, size: config.data.imageSize, workers: config.data.workers, device: device,
                                      label: "embed", model: model, normalization: normalization, embed: embed)
        var top: [[Int]] = []
        let scores = try RetrievalScores(queries: gallery.slice(0, 0, data.queries.count), queryLabels: data.queries.map(\.label),
                                         queryRows: Array(data.queries.indices), gallery: gallery,
                                         galleryLabels: data.gallery.map(\.label), topK: &top)
        print(RetrievalScores.tableHeader)
        print(scores.tableRow(name))
        try run.logResults(scores.asResults, dataset: config.data.root, split: "test")
        return try retrievalGrid(queries: data.queries, gallery: data.gallery, top: top,
                                 thumbnails: URL(fileURLWithPath: config.output).appendingPathComponent("thumbnails"),
                                 title: "\(name): top-\(top.first?.count ?? 0) neighbours of sample test photos")
    }
}
