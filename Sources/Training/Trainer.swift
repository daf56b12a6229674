import Foundation
import Torch

/// How a training run proceeds; everything a resumed run must agree on.
public struct TrainerOptions {
    public var totalSteps: Int
    /// Save `last.safetensors` every this many steps (0: only at the end).
    public var checkpointEvery = 0
    public var checkpointDirectory: URL?
    public var gradientClipNorm: Double?
    /// Keep an exponential moving average of the weights with this decay.
    public var emaDecay: Double?
    public var device: Device = .cpu
    /// Autocast (bfloat16) on CUDA; ignored on CPU.
    public var mixedPrecision = false
    public var seed: UInt64 = 0
    /// Stored in every checkpoint (e.g. the run's config as JSON).
    public var metadata: [String: String] = [:]
    /// Asked between steps; once set, the trainer saves its checkpoint and throws `TrainingInterrupted`.
    public var stopRequest: StopRequest?

    public init(totalSteps: Int) { self.totalSteps = totalSteps }
}

/// One finished optimisation step.
public struct StepRecord {
    public let step: Int, epoch: Int, totalSteps: Int
    public let loss: Double, learningRate: Double
    public let gradientNorm: Double?
    /// Task-specific numbers reported by the loss function (e.g. the fraction of active triplets).
    public let metrics: [String: Double]
}

/// The loss of one batch and extra numbers to log with it.
public struct BatchLoss {
    public let loss: Tensor
    public let metrics: [String: Double]
    public init(_ loss: Tensor, metrics: [String: Double] = [:]) { (self.loss, self.metrics) = (loss, metrics) }
}

/// The training loop every LookKit model shares: learning-rate schedule, optional autocast, gradient
/// clipping and weight EMA, periodic checkpoints holding everything a resumed run needs (weights,
/// optimizer state, EMA, random generator, step), so that resuming continues bit for bit as an
/// uninterrupted run would.
public final class Trainer {
    public let model: Module
    public let optimizer: Optimizer
    public let schedule: any OptimizerSchedule
    public let options: TrainerOptions
    public private(set) var step = 0
    /// The epoch in progress and how many of its batches were consumed (where a resumed run continues).
    public private(set) var epoch = 0, batchInEpoch = 0
    public private(set) var ema: WeightAverage?
    /// Wall seconds spent in `run` so far (validation included), summed over a resumed run's sessions.
    public private(set) var trainingSeconds = 0.0

    public init(model: Module, optimizer: Optimizer, schedule: any OptimizerSchedule, options: TrainerOptions) throws {
        (self.model, self.optimizer, self.schedule, self.options) = (model, optimizer, schedule, options)
        ema = try options.emaDecay.map { try WeightAverage(model, decay: $0) }
        Torch.manualSeed(options.seed)
    }

    /// Runs until `totalSteps`. `batches(epoch, skip)` yields the epoch's batches from batch number
    /// `skip` on (deterministically, so a resumed run sees the same data); `loss` computes one batch's
    /// loss. `onEpochEnd(epoch)` runs after each whole epoch (validation, `best`), also when a resumed
    /// run starts exactly at an epoch's end, so a resumed run repeats what an uninterrupted one did.
    public func run<Batch>(batches: (_ epoch: Int, _ skip: Int) throws -> AnyIterator<Batch>,
                           loss: (Batch) throws -> BatchLoss,
                           onStep: (StepRecord) throws -> Void = { _ in },
                           onEpochEnd: (_ epoch: Int) throws -> Void = { _ in }) throws {
        model.train()
        let (started, before) = (Date(), trainingSeconds)
        func clock() { trainingSeconds = before + Date().timeIntervalSince(started) }
        while step < options.totalSteps {
            let start = batchInEpoch
            for batch in try batches(epoch, batchInEpoch) {
                batchInEpoch += 1
                try onStep(try trainStep(batch, loss: loss))
                clock()
                if step == options.totalSteps { break }
                if options.checkpointEvery > 0, step % options.checkpointEvery == 0 { try saveCheckpoint() }
                if options.stopRequest?.receivedSignal != nil {
                    try saveCheckpoint()
                    throw TrainingInterrupted(step: step, checkpoint: lastCheckpoint)
                }
            }
            // A resumed run may start exactly at an epoch's end; only a whole epoch without batches is wrong.
            guard batchInEpoch > start || start > 0 || step == options.totalSteps else {
                throw TorchError("epoch \(epoch) produced no batches: is the training set empty?")
            }
            if step < options.totalSteps {
                try onEpochEnd(epoch)
                (epoch, batchInEpoch) = (epoch + 1, 0)
            }
        }
        try saveCheckpoint()
    }

    private func trainStep<Batch>(_ batch: Batch, loss: (Batch) throws -> BatchLoss) throws -> StepRecord {
        try schedule.apply(to: optimizer, at: step)
        optimizer.zeroGrad()
        let result: BatchLoss
        if options.mixedPrecision, options.device.isCUDA {
            result = try Torch.withAutocast(on: options.device) { try loss(batch) }
        } else {
            result = try loss(batch)  // CPU runs stay float32, so they reproduce bit for bit
        }
        try result.loss.backward()
        let norm = try options.gradientClipNorm.map { try clipGradientNorm(optimizer.parameters, maxNorm: $0) }
        try optimizer.step()
        try ema?.update(from: model)
        step += 1
        return StepRecord(step: step, epoch: epoch, totalSteps: options.totalSteps, loss: try result.loss.item(),
                          learningRate: optimizer.learningRate, gradientNorm: norm, metrics: result.metrics)
    }

    // MARK: checkpoints

    public var lastCheckpoint: URL? { options.checkpointDirectory?.appendingPathComponent("last.safetensors") }

    /// Writes `last.safetensors` (resumable) in the checkpoint directory, if one is set.
    public func saveCheckpoint() throws {
        guard let url = lastCheckpoint else { return }
        var tensors = model.stateDict().map { ("model.\($0.0)", $0.1) }
        tensors += try optimizer.stateDict().map { ("optimizer.\($0.0)", $0.1) }
        tensors += (ema?.state ?? []).map { ("ema.\($0.0)", $0.1) }
        tensors.append(("trainer.rng", try Torch.randomState()))
        if options.device.isCUDA { tensors.append(("trainer.rng_cuda", try Torch.randomState(of: options.device))) }
        let counters = [step, epoch, batchInEpoch, ema?.updates ?? 0].map(Int64.init)
        tensors.append(("trainer.counters", try Tensor(counters)))
        try Checkpoint.save(tensors, to: url, metadata: options.metadata.merging(["train_seconds": String(trainingSeconds)]) { _, new in new })
    }

    /// Restores weights, optimizer, EMA, random generator and step from a `last.safetensors`.
    public func resume(from url: URL) throws {
        let saved = try Checkpoint.load(url)
        func section(_ prefix: String) -> [(String, Tensor)] {
            saved.filter { $0.0.hasPrefix(prefix) }.map { (String($0.0.dropFirst(prefix.count)), $0.1) }
        }
        let trainer = Dictionary(uniqueKeysWithValues: section("trainer."))
        guard let counters = try trainer["counters"]?.int64s().map(Int.init), counters.count == 4, let rng = trainer["rng"] else {
            throw TorchError("\(url.path): not a resumable LookKit checkpoint (no trainer.counters / trainer.rng)")
        }
        try model.load(stateDict: section("model."))
        try optimizer.load(stateDict: section("optimizer."))
        if let ema {
            try ema.restore(section("ema."), updates: counters[3])
        }
        try Torch.setRandomState(rng)
        if let cuda = trainer["rng_cuda"], options.device.isCUDA { try Torch.setRandomState(cuda, of: options.device) }
        (step, epoch, batchInEpoch) = (counters[0], counters[1], counters[2])
        trainingSeconds = try SafeTensors.metadata(url)["train_seconds"].flatMap(Double.init) ?? 0
    }
}

extension Trainer {
    /// Runs `body` with the weights the run would ship in the model: the EMA weights when the run
    /// keeps an average, else the current ones; the training weights are back afterwards.
    public func withEvaluatedWeights<T>(_ body: () throws -> T) throws -> T {
        guard let ema else { return try body() }
        let training = try model.stateDict().map { ($0.0, try $0.1.clone()) }
        try model.load(stateDict: ema.state)
        defer { try? model.load(stateDict: training) }
        return try body()
    }
}

/// Runs `body` and puts libtorch's CPU generator back as it was, so evaluation in the middle of a
/// run never changes what training draws next (resumed runs stay bit for bit).
func preservingRandomState<T>(_ body: () throws -> T) throws -> T {
    let saved = try Torch.randomState()
    defer { try? Torch.setRandomState(saved) }
    return try body()
}
