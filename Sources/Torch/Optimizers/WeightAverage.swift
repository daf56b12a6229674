import Foundation

/// An exponential moving average of a model's parameters and buffers (as yolov5's ModelEMA), whose
/// smoothed weights often evaluate better than the raw ones. The decay ramps up early in training
/// so the average is not dominated by the random start.
public final class WeightAverage {
    public let decay: Double
    public private(set) var updates = 0
    /// The averaged tensors, by state-dict name; load them into a copy of the model to evaluate.
    public private(set) var state: [(String, Tensor)]

    public init(_ model: Module, decay: Double = 0.9999) throws {
        self.decay = decay
        state = try withoutGrad { try model.stateDict().map { ($0.0, try $0.1.detached().clone()) } }
    }

    /// Puts back an average saved from `state` after `updates` updates (resuming a run).
    public func restore(_ saved: [(String, Tensor)], updates: Int) throws {
        let byName = Dictionary(uniqueKeysWithValues: saved)
        for (name, average) in state {
            guard let value = byName[name] else { throw TorchError("EMA state lacks '\(name)'") }
            try average.copy(from: value)
        }
        self.updates = updates
    }

    public func update(from model: Module) throws {
        updates += 1
        let d = decay * (1 - Foundation.exp(-Double(updates) / 2000))
        try withoutGrad {
            for ((_, average), (_, current)) in zip(state, model.stateDict()) {
                if average.dtype.isFloatingPoint { try average.lerp(to: current, weight: 1 - d) } else { try average.copy(from: current) }
            }
        }
    }
}
