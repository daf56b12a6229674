import Foundation
import Torch

/// Images and integer labels held as tensors (N×C×H×W float, N int64).
public struct LabeledTensors {
    public let images: Tensor
    public let labels: Tensor
    public init(images: Tensor, labels: Tensor) { (self.images, self.labels) = (images, labels) }
    public var count: Int { images.shape[0] }
}

public struct ClassifierTrainingConfig {
    public var steps = 300
    public var batchSize = 32
    public var learningRate = 3e-3
    public var weightDecay = 1e-4
    public var labelSmoothing = 0.0
    public var evaluateEvery = 50
    public var seed: UInt64 = 0
    public var device: Device = .cpu
    public init() {}
}

/// What the training loop reports after each step.
public struct TrainingStep {
    public let step: Int, totalSteps: Int, loss: Double, learningRate: Double
    /// Set on the steps where the validation split was scored.
    public let validationAccuracy: Double?
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

/// Mini-batch AdamW with a warm-up + cosine schedule and random horizontal flips: the loop the demo,
/// the tests and the benchmark share.
@discardableResult
public func trainClassifier(_ model: some UnaryLayer, train: LabeledTensors, validation: LabeledTensors?,
                            config: ClassifierTrainingConfig, onStep: (TrainingStep) -> Void = { _ in }) throws -> [TrainingStep] {
    Torch.manualSeed(config.seed)
    try model.move(to: config.device)
    let optimizer = Adam.adamW(model.parameters(), learningRate: config.learningRate, weightDecay: config.weightDecay)
    let schedule = WarmupSchedule(CosineSchedule(base: config.learningRate, totalSteps: config.steps), warmupSteps: config.steps / 20)
    var order = try Tensor.randperm(train.count)
    var cursor = 0
    var history: [TrainingStep] = []
    model.train()
    for step in 0 ..< config.steps {
        if cursor + config.batchSize > train.count { (order, cursor) = (try Tensor.randperm(train.count), 0) }
        let batch = try order.slice(0, cursor, cursor + config.batchSize)
        cursor += config.batchSize
        var x = try train.images.indexSelect(0, batch).to(config.device)
        if try Tensor.rand([]).item() < 0.5 { x = try x.flipped([3]) }
        let y = try train.labels.indexSelect(0, batch).to(config.device)
        optimizer.learningRate = schedule.learningRate(at: step)
        optimizer.zeroGrad()
        let loss = try Loss.crossEntropy(model(x), y, labelSmoothing: config.labelSmoothing)
        try loss.backward()
        try optimizer.step()
        let isLast = step == config.steps - 1
        let accuracy = try validation.flatMap { data in
            (step + 1) % config.evaluateEvery == 0 || isLast ? try classificationAccuracy(model, data, device: config.device) : nil
        }
        let record = TrainingStep(step: step + 1, totalSteps: config.steps, loss: try loss.item(),
                                  learningRate: optimizer.learningRate, validationAccuracy: accuracy)
        history.append(record)
        onStep(record)
    }
    return history
}
