/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD).
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool
    private let state = OptimizerState()

    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws {
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw TorchError("SGD: Nesterov momentum requires momentum > 0 and zero dampening")
        }
        self.parameters = parameters
        (self.learningRate, self.momentum, self.dampening, self.weightDecay, self.nesterov) =
            (learningRate, momentum, dampening, weightDecay, nesterov)
    }

    public func step() throws {
        try withoutGrad {
            for (i, p) in parameters.enumerated() {
                guard var g = p.grad else { continue }
                if weightDecay != 0 { g = try g + p * weightDecay }
                if momentum != 0 {
                    if let buffer = state.get(i, "momentum_buffer") {
                        try buffer.scale(by: momentum)
                        try buffer.add(g, alpha: 1 - dampening)
                    } else {
                        state.set(i, "momentum_buffer", try g.clone())
                    }
                    let buffer = state.get(i, "momentum_buffer")!
                    g = nesterov ? try g + buffer * momentum : buffer
                }
                try p.add(g, alpha: -learningRate)
            }
        }
    }

    public func stateDict() throws -> [(String, Tensor)] { state.stateDict() }
    public func load(stateDict: [(String, Tensor)]) throws { try state.load(stateDict, parameterCount: parameters.count) }
}
