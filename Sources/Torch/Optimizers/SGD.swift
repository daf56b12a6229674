/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD).
public final class SGD: Optimizer {
    /// Settable between steps (YOLOv5 warms momentum up from 0.8).
    public var momentum: Double
    public let dampening: Double, nesterov: Bool

    /// `learningRate` and `weightDecay` are the defaults of groups that set none.
    public init(_ groups: [ParameterGroup], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws {
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw TorchError("SGD: Nesterov momentum requires momentum > 0 and zero dampening", category: .badConfig)
        }
        (self.momentum, self.dampening, self.nesterov) = (momentum, dampening, nesterov)
        try super.init(groups, learningRate: learningRate, weightDecay: weightDecay, stateNames: ["momentum_buffer"])
    }

    /// One group of named parameters (e.g. `model.namedTrainableParameters()`).
    public convenience init(_ parameters: [(String, Tensor)], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                            weightDecay: Double = 0, nesterov: Bool = false) throws {
        try self.init([ParameterGroup("default", parameters)], learningRate: learningRate, momentum: momentum,
                      dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
    }

    public override func step() throws {
        try withoutGrad {
            try forEachGradient { path, p, g, learningRate, weightDecay in
                var g = g
                if weightDecay != 0 { g = try g.adding(p, alpha: weightDecay) }
                if momentum != 0 {
                    let buffer: Tensor
                    if let existing = state[path]?["momentum_buffer"] {
                        try existing.scale(by: momentum)
                        try existing.add(g, alpha: 1 - dampening)
                        buffer = existing
                    } else {
                        buffer = try g.clone()
                        state[path, default: [:]]["momentum_buffer"] = buffer
                    }
                    g = nesterov ? try g.adding(buffer, alpha: momentum) : buffer
                }
                try p.add(g, alpha: -learningRate)
            }
        }
    }
}
