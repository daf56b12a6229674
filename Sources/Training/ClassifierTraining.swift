import Foundation
import Torch

/// Images and integer labels held as tensors (N×C×H×W float, N int64).
public struct LabeledTensors {
    public let images: Tensor
    public let labels: Tensor
    public init(images: Tensor, labels: Tensor) { (self.images, self.labels) = (images, labels) }
    public var count: Int { images.shape[0] }

    /// The epoch's mini-batches in a seeded order that depends only on (seed, epoch), so a resumed
    /// run sees the same batches; the global generator is left as it was.
    public func batches(epoch: Int, skip: Int, batchSize: Int, seed: UInt64, device: Device) throws -> AnyIterator<LabeledTensors> {
        let saved = try Torch.randomState()
        Torch.manualSeed(seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        let order = try Tensor.randperm(count)
        try Torch.setRandomState(saved)
        // Cut eagerly so a failure throws here instead of silently ending the epoch.
        let batches = try stride(from: skip * batchSize, through: count - batchSize, by: batchSize).map { start in
            let index = try order.slice(0, start, start + batchSize)
            return LabeledTensors(images: try images.indexSelect(0, index).to(device), labels: try labels.indexSelect(0, index).to(device))
        }
        return AnyIterator(batches.makeIterator())
    }
}

public struct ClassifierTrainingConfig {
    public var steps = 300
    public var batchSize = 32
    public var learningRate = 3e-3
    public var weightDecay = 1e-4
    public var labelSmoothing = 0.0
    public var seed: UInt64 = 0
    public var device: Device = .cpu
    public var checkpointDirectory: URL?
    public init() {}
}

/// Fraction of `data` whose arg-max class equals its label, in eval mode and without gradients.
public func classificationAccuracy(_ model: some UnaryLayer, _ data: LabeledTensors, batchSize: Int = 128,
                                   device: Device = .cpu) throws -> Double {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    return try withoutGrad {
        var correct = 0.0
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let x = try data.images.slice(0, start, start + batchSize).to(device)
            let y = try data.labels.slice(0, start, start + batchSize).to(device)
            correct += try model(x).argmax(1).eq(y).sum().item()
        }
        return correct / Double(Swift.max(data.count, 1))
    }
}

/// A classifier trained on in-memory tensors with AdamW, warm-up + cosine schedule and random
/// horizontal flips, through the shared `Trainer`. Used by the demo, the tests and the benchmark.
@discardableResult
public func trainClassifier(_ model: some UnaryLayer, train: LabeledTensors, config: ClassifierTrainingConfig,
                            onStep: (StepRecord) throws -> Void = { _ in }) throws -> Trainer {
    try model.move(to: config.device)
    let optimizer = try Adam.adamW(model.namedTrainableParameters(), learningRate: config.learningRate, weightDecay: config.weightDecay)
    let schedule = WarmupSchedule(CosineSchedule(base: config.learningRate, totalSteps: config.steps), warmupSteps: config.steps / 20)
    var options = TrainerOptions(totalSteps: config.steps)
    (options.device, options.seed, options.checkpointDirectory) = (config.device, config.seed, config.checkpointDirectory)
    let trainer = try Trainer(model: model, optimizer: optimizer, schedule: schedule, options: options)
    try trainer.run(batches: { epoch, skip in
        try train.batches(epoch: epoch, skip: skip, batchSize: config.batchSize, seed: config.seed, device: config.device)
    }, loss: { batch in
        let x = try Tensor.rand([]).item() < 0.5 ? try batch.images.flipped([3]) : batch.images
        return BatchLoss(try Loss.crossEntropy(model(x), batch.labels, labelSmoothing: config.labelSmoothing))
    }, onStep: onStep)
    return trainer
}
