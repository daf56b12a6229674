/// Scales all gradients so their joint L2 norm is at most `maxNorm` (clip_grad_norm_) and returns
/// the norm before clipping, for logging.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) throws -> Double {
    let grads = parameters.compactMap(\.grad)
    guard !grads.isEmpty else { return 0 }
    let total = try withoutGrad { try Tensor.stack(grads.map { try $0.norm(2) }).norm(2).item() }
    let scale = maxNorm / (total + 1e-6)
    if scale < 1 { for g in grads { try g.scale(by: scale) } }
    return total
}
