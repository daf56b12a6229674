import Datasets
import Experiments
import Foundation
import ModelEvaluation
import Models
import Torch

/// A convolutional autoencoder whose bottleneck is the embedding: the unsupervised baseline.
/// Validated and tested by retrieval like the embedder.
public final class AutoencoderTask: PhotoTask {
    let model: ConvAutoencoder
    let photos: PhotoTraining
    public let network: TaskNetwork

    public init(config: RunConfig, device: Device) throws {
        photos = try PhotoTraining(config: config, device: device, splits: try LabeledPhotoSplits.load(config.data))
        (model, network) = try Self.make(config)
    }

    public static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork { try make(config).network }

    private static func make(_ config: RunConfig) throws -> (model: ConvAutoencoder, network: TaskNetwork) {
        let model = try ConvAutoencoder(imageSize: config.data.imageSize, embeddingDimension: config.model.embeddingDimension)
        let network = TaskNetwork(module: model, normalization: (ImageNet.mean, ImageNet.std), resize: config.data.resize) { try model.embed($0) }
        return (model, network)
    }

    public func loss(_ batch: ClassificationBatch) throws -> BatchLoss {
        let images = try batch.images.to(photos.device)
        return BatchLoss(try Loss.mse(model(images), images))
    }

    public func validate() throws -> ValidationScore { try photos.validateRetrieval(network) }

    public func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        try photos.testRetrieval(network, name: "autoencoder", run: run, folder: folder)
    }
}
