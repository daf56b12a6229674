import Foundation

/// Adam (torch.optim.Adam: L2 decay added to the gradient) and AdamW (torch.optim.AdamW: decoupled
/// decay applied to the weights), with bias-corrected first and second moments.
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    /// True for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool
    private let state = OptimizerState()
    private var steps: [Int: Int] = [:]

    public init(_ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        (self.learningRate, beta1, beta2, self.eps, self.weightDecay, self.decoupledWeightDecay) =
            (learningRate, betas.0, betas.1, eps, weightDecay, decoupledWeightDecay)
    }

    /// AdamW with PyTorch's default decay of 0.01.
    public static func adamW(_ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                             eps: Double = 1e-8, weightDecay: Double = 0.01) -> Adam {
        Adam(parameters, learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() throws {
        try withoutGrad {
            for (i, p) in parameters.enumerated() {
                guard var g = p.grad else { continue }
                if weightDecay != 0 {
                    if decoupledWeightDecay { try p.scale(by: 1 - learningRate * weightDecay) } else { g = try g + p * weightDecay }
                }
                let m = try state.get(i, "exp_avg") ?? Tensor.zeros(p.shape, dtype: p.dtype, device: p.device)
                let v = try state.get(i, "exp_avg_sq") ?? Tensor.zeros(p.shape, dtype: p.dtype, device: p.device)
                state.set(i, "exp_avg", m)
                state.set(i, "exp_avg_sq", v)
                // The step count lives in Swift (a tensor only in checkpoints): reading a tensor back
                // every step and parameter cost more than the update itself on small models.
                steps[i, default: 0] += 1
                let t = Double(steps[i]!)
                try m.lerp(to: g, weight: 1 - beta1)
                try v.scale(by: beta2)
                try v.addProduct(g, g, value: 1 - beta2)
                let correction1 = 1 - Foundation.pow(beta1, t)
                let correction2 = 1 - Foundation.pow(beta2, t)
                let denominator = try v.sqrt() / correction2.squareRoot() + eps
                try p.addQuotient(m, denominator, value: -learningRate / correction1)
            }
        }
    }

    public func stateDict() throws -> [(String, Tensor)] {
        try state.stateDict() + steps.keys.sorted().map { ("state.\($0).step", try Tensor.scalar(Double(steps[$0]!))) }
    }

    public func load(stateDict: [(String, Tensor)]) throws {
        let isStep = { (key: String) in key.hasSuffix(".step") }
        try state.load(stateDict.filter { !isStep($0.0) }, parameterCount: parameters.count)
        steps = [:]
        for (key, value) in stateDict where isStep(key) {
            guard let i = Int(key.split(separator: ".")[1]) else { throw TorchError("optimizer state: bad key '\(key)'") }
            steps[i] = Int(try value.item())
        }
    }
}
