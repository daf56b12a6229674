import Foundation

/// Adam (torch.optim.Adam: L2 decay added to the gradient) and AdamW (torch.optim.AdamW: decoupled
/// decay applied to the weights), with bias-corrected first and second moments.
public final class Adam: Optimizer {
    public let beta1: Double, beta2: Double, eps: Double
    /// True for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool

    /// `learningRate` and `weightDecay` are the defaults of groups that set none.
    public init(_ groups: [ParameterGroup], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) throws {
        (beta1, beta2, self.eps, self.decoupledWeightDecay) = (betas.0, betas.1, eps, decoupledWeightDecay)
        try super.init(groups, learningRate: learningRate, weightDecay: weightDecay, stateNames: ["exp_avg", "exp_avg_sq", "step"])
    }

    /// One group of named parameters (e.g. `model.namedTrainableParameters()`).
    public convenience init(_ parameters: [(String, Tensor)], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) throws {
        try self.init([ParameterGroup("default", parameters)], learningRate: learningRate, betas: betas, eps: eps,
                      weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay)
    }

    /// AdamW with PyTorch's default decay of 0.01.
    public static func adamW(_ groups: [ParameterGroup], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                             eps: Double = 1e-8, weightDecay: Double = 0.01) throws -> Adam {
        try Adam(groups, learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public static func adamW(_ parameters: [(String, Tensor)], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                             eps: Double = 1e-8, weightDecay: Double = 0.01) throws -> Adam {
        try adamW([ParameterGroup("default", parameters)], learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay)
    }

    public override func step() throws {
        try withoutGrad {
            try forEachGradient { path, p, g, learningRate, weightDecay in
                var g = g
                if weightDecay != 0 {
                    if decoupledWeightDecay { try p.scale(by: 1 - learningRate * weightDecay) } else { g = try g.adding(p, alpha: weightDecay) }
                }
                let (m, v) = try moments(of: path, like: p)
                steps[path, default: 0] += 1
                let t = Double(steps[path]!)
                try m.lerp(to: g, weight: 1 - beta1)
                try v.scale(by: beta2)
                try v.addProduct(g, g, value: 1 - beta2)
                let correction1 = 1 - Foundation.pow(beta1, t)
                let correction2 = 1 - Foundation.pow(beta2, t)
                // torch.optim's (√v / √correction2) + eps, with one new tensor instead of three.
                let denominator = try v.sqrt()
                try denominator.divide(by: correction2.squareRoot())
                try denominator.add(scalar: eps)
                try p.addQuotient(m, denominator, value: -learningRate / correction1)
            }
        }
    }

    /// The first and second moments of the parameter at `path`, zeros on its first step.
    private func moments(of path: String, like p: Tensor) throws -> (Tensor, Tensor) {
        if let m = state[path]?["exp_avg"], let v = state[path]?["exp_avg_sq"] { return (m, v) }
        let (m, v) = (try Tensor.zeros(p.shape, dtype: p.dtype, device: p.device), try Tensor.zeros(p.shape, dtype: p.dtype, device: p.device))
        state[path] = ["exp_avg": m, "exp_avg_sq": v]
        return (m, v)
    }
}
