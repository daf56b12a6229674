/// A layer normalising its input, whose weight is a scale that YOLO-style training does not decay.
public protocol NormalizationLayer: Module {}

/// Batch normalisation over the channel dimension of N×C or N×C×H×W inputs
/// (nn.BatchNorm1d / nn.BatchNorm2d: same parameters, same names).
public final class BatchNorm: Module, UnaryLayer, NormalizationLayer {
    @OptionalParameter public var weight: Tensor?
    @OptionalParameter public var bias: Tensor?
    @Buffer(key: "running_mean") public var runningMean: Tensor?
    @Buffer(key: "running_var") public var runningVar: Tensor?
    @Buffer(key: "num_batches_tracked") public var numBatchesTracked: Tensor?
    public let eps: Double, momentum: Double

    public init(_ features: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        _weight = OptionalParameter(wrappedValue: affine ? try Tensor.ones([features]) : nil)
        _bias = OptionalParameter(wrappedValue: affine ? try Tensor.zeros([features]) : nil)
        if trackRunningStats {
            _runningMean.set(try Tensor.zeros([features]))
            _runningVar.set(try Tensor.ones([features]))
            _numBatchesTracked.set(try Tensor.zeros([], dtype: .int64))
        }
        (self.eps, self.momentum) = (eps, momentum)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let useBatchStats = training || runningMean == nil
        // One C call, as PyTorch's `num_batches_tracked.add_(1)` (a device check and a tensor of 1 cost two more).
        if training, let counter = numBatchesTracked { try counter.add(scalar: 1) }
        return try x.batchNorm(weight: weight, bias: bias, runningMean: runningMean,
                               runningVar: runningVar, training: useBatchStats, momentum: momentum, eps: eps)
    }
}

public typealias BatchNorm1d = BatchNorm
public typealias BatchNorm2d = BatchNorm

/// Layer normalisation over the trailing `shape` dimensions (nn.LayerNorm).
public final class LayerNorm: Module, UnaryLayer, NormalizationLayer {
    @Parameter public var weight: Tensor
    @Parameter public var bias: Tensor
    public let shape: [Int], eps: Double

    public init(_ shape: [Int], eps: Double = 1e-5) throws {
        _weight = Parameter(wrappedValue: try Tensor.ones(shape))
        _bias = Parameter(wrappedValue: try Tensor.zeros(shape))
        (self.shape, self.eps) = (shape, eps)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.layerNorm(shape, weight: weight, bias: bias, eps: eps) }
}
