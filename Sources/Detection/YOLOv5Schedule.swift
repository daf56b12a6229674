import Foundation
import Torch

/// YOLOv5's optimizer schedule (train.py) on the `ParameterGroup.yoloStyle` groups: the rate is
/// lr0 · lf(epoch), lf falling linearly (or along a cosine) to `lrf` at the last epoch; during the
/// warm-up's first max(warmupEpochs · batches, 100) steps, biases fall from `warmupBiasLR` and the
/// other groups rise from 0 to that rate while momentum rises from `warmupMomentum`.
public struct YOLOv5Schedule: OptimizerSchedule {
    public let hyp: YOLOHyperparameters
    public let batchesPerEpoch: Int, epochs: Int
    public let cosine: Bool

    public init(hyp: YOLOHyperparameters, batchesPerEpoch: Int, epochs: Int, cosine: Bool = false) {
        (self.hyp, self.batchesPerEpoch, self.epochs, self.cosine) = (hyp, max(batchesPerEpoch, 1), max(epochs, 1), cosine)
    }

    public var warmupSteps: Int { max(Int((hyp.warmupEpochs * Double(batchesPerEpoch)).rounded()), 100) }

    /// The rate factor of `epoch` (ultralytics' `lf`).
    public func factor(epoch: Int) -> Double {
        let x = Double(epoch) / Double(epochs)
        return cosine ? (1 - cos(x * .pi)) / 2 * (hyp.lrf - 1) + 1 : (1 - x) * (1 - hyp.lrf) + hyp.lrf
    }

    /// (rate of weights and norm weights, rate of biases, momentum) at `step`.
    public func values(at step: Int) -> (rate: Double, biasRate: Double, momentum: Double) {
        let rate = hyp.lr0 * factor(epoch: step / batchesPerEpoch)
        guard step < warmupSteps else { return (rate, rate, hyp.momentum) }
        let t = Double(step) / Double(warmupSteps)
        func ramp(_ start: Double, _ end: Double) -> Double { start + (end - start) * t }
        return (ramp(0, rate), ramp(hyp.warmupBiasLR, rate), ramp(hyp.warmupMomentum, hyp.momentum))
    }

    public func apply(to optimizer: Optimizer, at step: Int) throws {
        let v = values(at: step)
        optimizer.learningRate = v.rate
        if optimizer.groups.contains(where: { $0.name == "biases" }) { try optimizer.setLearningRate(v.biasRate, group: "biases") }
        (optimizer as? SGD)?.momentum = v.momentum
    }
}
