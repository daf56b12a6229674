import Datasets
import Experiments
import Foundation
import ModelEvaluation
import Models
import Torch

/// A triplet-loss embedder (backbone + projection head) on labelled photos: similar products are
/// near, others at least a margin farther. Validated and tested by retrieval (mAP@10).
public final class EmbedderTask: PhotoTask {
    let model: TripletEmbedder
    let photos: PhotoTraining
    public let network: TaskNetwork

    public init(config: RunConfig, device: Device) throws {
        let splits = try LabeledPhotoSplits.load(config.data)
        let triplet = config.triplet
        photos = try PhotoTraining(config: config, device: device, splits: splits, plan: triplet.mining == .random ? nil : { set in
            let sampler = try PKBatchSampler(labels: set.records.map(\.label), p: triplet.classesPerBatch,
                                             k: triplet.imagesPerClass, seed: config.seed)
            return { sampler.batches(epoch: $0) }
        })
        (model, network) = try Self.make(config)
    }

    public static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork { try make(config).network }

    private static func make(_ config: RunConfig) throws -> (model: TripletEmbedder, network: TaskNetwork) {
        let backbone = try config.model.architecture.backbone(weights: config.model.weights)
        let model = try TripletEmbedder(backbone: backbone, embeddingDimension: config.model.embeddingDimension, dropout: config.model.dropout,
                                        backboneShare: config.model.backboneShare)
        if config.model.freezeBackbone { try model.freezeBackbone() }
        let network = TaskNetwork(module: model, normalization: normalization(of: backbone), resize: config.data.resize) { try model($0) }
        return (model, network)
    }

    public func loss(_ batch: ClassificationBatch) throws -> BatchLoss {
        let (images, labels) = (try batch.images.to(photos.device), try batch.labels.to(photos.device))
        let embeddings = try model(images)
        let t = photos.config.triplet
        switch t.mining {
        case .batchHard: return BatchLoss(try Loss.batchHardTriplet(embeddings, labels: labels, margin: t.margin, distance: t.distance))
        case .batchAll: return BatchLoss(try Loss.batchAllTriplet(embeddings, labels: labels, margin: t.margin, distance: t.distance))
        case .random:
            let (positive, negative) = try Self.randomTriplets(labels)
            return BatchLoss(try Loss.tripletMargin(anchor: embeddings, positive: embeddings.indexSelect(0, positive),
                                                    negative: embeddings.indexSelect(0, negative), margin: t.margin, distance: t.distance))
        }
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

    public func validate() throws -> ValidationScore { try photos.validateRetrieval(network) }

    public func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        try photos.testRetrieval(network, name: "\(photos.config.model.architecture.rawValue) triplet", run: run, folder: folder)
    }
}
