import CTorch

// Neural-network kernels on tensors; layers in Layers/ hold the parameters and call these.

public enum Reduction: UInt32, Sendable {
    case none = 0, mean = 1, sum = 2
    var c: lk_reduction { lk_reduction(rawValue: rawValue) }
}

/// A pair of spatial sizes (height, width); an integer literal means both.
public struct Pair: Equatable, Sendable, ExpressibleByIntegerLiteral {
    public var h: Int, w: Int
    public init(_ h: Int, _ w: Int) { (self.h, self.w) = (h, w) }
    public init(integerLiteral v: Int) { (h, w) = (v, v) }
    var c: [Int64] { [Int64(h), Int64(w)] }
}

extension Tensor {
    public func relu() throws -> Tensor { try unary(LK_RELU) }
    public func relu6() throws -> Tensor { try unary(LK_RELU6) }
    public func silu() throws -> Tensor { try unary(LK_SILU) }
    public func sigmoid() throws -> Tensor { try unary(LK_SIGMOID) }
    public func tanh() throws -> Tensor { try unary(LK_TANH) }
    public func hardswish() throws -> Tensor { try unary(LK_HARDSWISH) }
    public func hardsigmoid() throws -> Tensor { try unary(LK_HARDSIGMOID) }
    public func gelu() throws -> Tensor { try unary(LK_GELU) }
    public func softplus() throws -> Tensor { try unary(LK_SOFTPLUS) }
    public func leakyRelu(_ slope: Double = 0.01) throws -> Tensor { try wrap(lk_leaky_relu(handle, slope)) }
    public func softmax(dim: Int) throws -> Tensor { try wrap(lk_softmax(handle, Int64(dim))) }
    public func logSoftmax(dim: Int) throws -> Tensor { try wrap(lk_log_softmax(handle, Int64(dim))) }

    public func conv2d(_ weight: Tensor, bias: Tensor? = nil, stride: Pair = 1, padding: Pair = 0,
                       dilation: Pair = 1, groups: Int = 1) throws -> Tensor {
        try wrap(lk_conv2d(handle, weight.handle, bias?.handle, stride.c, padding.c, dilation.c, Int64(groups)))
    }

    public func convTranspose2d(_ weight: Tensor, bias: Tensor? = nil, stride: Pair = 1, padding: Pair = 0,
                                outputPadding: Pair = 0, dilation: Pair = 1, groups: Int = 1) throws -> Tensor {
        try wrap(lk_conv_transpose2d(handle, weight.handle, bias?.handle, stride.c, padding.c, outputPadding.c,
                                     dilation.c, Int64(groups)))
    }

    /// In training mode libtorch updates `runningMean`/`runningVar` in place with `momentum`.
    public func batchNorm(weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                          training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) throws -> Tensor {
        try wrap(lk_batch_norm(handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle,
                               training ? 1 : 0, momentum, eps))
    }

    public func layerNorm(_ normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        let s = normalizedShape.map(Int64.init)
        return try wrap(lk_layer_norm(handle, s, Int32(s.count), weight?.handle, bias?.handle, eps))
    }

    /// x·Wᵀ + b.
    public func linear(_ weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try wrap(lk_linear(handle, weight.handle, bias?.handle))
    }

    public func maxPool2d(kernel: Pair, stride: Pair? = nil, padding: Pair = 0, dilation: Pair = 1,
                          ceilMode: Bool = false) throws -> Tensor {
        try wrap(lk_max_pool2d(handle, kernel.c, (stride ?? kernel).c, padding.c, dilation.c, ceilMode ? 1 : 0))
    }

    public func avgPool2d(kernel: Pair, stride: Pair? = nil, padding: Pair = 0, ceilMode: Bool = false,
                          countIncludePad: Bool = true) throws -> Tensor {
        try wrap(lk_avg_pool2d(handle, kernel.c, (stride ?? kernel).c, padding.c, ceilMode ? 1 : 0, countIncludePad ? 1 : 0))
    }

    public func adaptiveAvgPool2d(_ size: Pair) throws -> Tensor { try wrap(lk_adaptive_avg_pool2d(handle, size.c)) }
    public func adaptiveMaxPool2d(_ size: Pair) throws -> Tensor { try wrap(lk_adaptive_max_pool2d(handle, size.c)) }

    /// Nearest-neighbour resize of an N×C×H×W tensor to `size`.
    public func upsampleNearest(_ size: Pair) throws -> Tensor { try wrap(lk_upsample_nearest2d(handle, size.c)) }

    /// Constant padding; `pad` lists (before, after) pairs from the last dimension backwards, as F.pad.
    public func padded(_ pad: [Int], value: Double = 0) throws -> Tensor {
        let p = pad.map(Int64.init)
        return try wrap(lk_pad(handle, p, Int32(p.count), value))
    }

    public func dropout(_ p: Double, training: Bool) throws -> Tensor { try wrap(lk_dropout(handle, p, training ? 1 : 0)) }
}
