import Foundation

/// Sets an optimizer's hyperparameters before step `step` (0-based): a learning-rate schedule, or
/// one that also drives per-group rates and momentum (YOLOv5's warm-up).
public protocol OptimizerSchedule {
    func apply(to optimizer: Optimizer, at step: Int) throws
}

/// A learning rate as a function of the step (0-based), as torch.optim.lr_scheduler computes it
/// after `step` scheduler steps.
public protocol LearningRateSchedule: OptimizerSchedule {
    func learningRate(at step: Int) -> Double
}

extension LearningRateSchedule {
    /// Every group at the schedule's rate.
    public func apply(to optimizer: Optimizer, at step: Int) throws { optimizer.learningRate = learningRate(at: step) }
}

/// lr · γ^⌊step / stepSize⌋ (StepLR).
public struct StepSchedule: LearningRateSchedule {
    public let base: Double, stepSize: Int, gamma: Double
    public init(base: Double, stepSize: Int, gamma: Double = 0.1) { (self.base, self.stepSize, self.gamma) = (base, stepSize, gamma) }
    public func learningRate(at step: Int) -> Double { base * pow(gamma, Double(step / max(stepSize, 1))) }
}

/// Half a cosine from `base` down to `minimum` over `totalSteps` (CosineAnnealingLR with T_max = totalSteps).
public struct CosineSchedule: LearningRateSchedule {
    public let base: Double, totalSteps: Int, minimum: Double
    public init(base: Double, totalSteps: Int, minimum: Double = 0) { (self.base, self.totalSteps, self.minimum) = (base, totalSteps, minimum) }
    public func learningRate(at step: Int) -> Double {
        let progress = Double(min(step, totalSteps)) / Double(max(totalSteps, 1))
        return minimum + (base - minimum) * (1 + cos(.pi * progress)) / 2
    }
}

/// Ramps linearly from `startFactor`·lr to the wrapped schedule's lr over `warmupSteps`, then follows
/// the wrapped schedule shifted by the warm-up (LinearLR chained with SequentialLR).
public struct WarmupSchedule: LearningRateSchedule {
    public let inner: any LearningRateSchedule, warmupSteps: Int, startFactor: Double
    public init(_ inner: any LearningRateSchedule, warmupSteps: Int, startFactor: Double = 0.1) {
        (self.inner, self.warmupSteps, self.startFactor) = (inner, warmupSteps, startFactor)
    }
    public func learningRate(at step: Int) -> Double {
        guard step < warmupSteps else { return inner.learningRate(at: step - warmupSteps) }
        let factor = startFactor + (1 - startFactor) * Double(step) / Double(warmupSteps)
        return inner.learningRate(at: 0) * factor
    }
}

/// The same learning rate at every step.
public struct ConstantSchedule: LearningRateSchedule {
    public let base: Double
    public init(_ base: Double) { self.base = base }
    public func learningRate(at step: Int) -> Double { base }
}
