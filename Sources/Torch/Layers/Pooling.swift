/// nn.MaxPool2d.
public final class MaxPool2d: Module, UnaryLayer {
    public let kernel: Pair, stride: Pair, padding: Pair, ceilMode: Bool
    public init(_ kernel: Pair, stride: Pair? = nil, padding: Pair = 0, ceilMode: Bool = false) {
        (self.kernel, self.stride, self.padding, self.ceilMode) = (kernel, stride ?? kernel, padding, ceilMode)
        super.init()
    }
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.maxPool2d(kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode)
    }
}

/// nn.AvgPool2d.
public final class AvgPool2d: Module, UnaryLayer {
    public let kernel: Pair, stride: Pair, padding: Pair
    public init(_ kernel: Pair, stride: Pair? = nil, padding: Pair = 0) {
        (self.kernel, self.stride, self.padding) = (kernel, stride ?? kernel, padding)
        super.init()
    }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.avgPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// nn.AdaptiveAvgPool2d: any input size to `size`.
public final class AdaptiveAvgPool2d: Module, UnaryLayer {
    public let size: Pair
    public init(_ size: Pair) { self.size = size; super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.adaptiveAvgPool2d(size) }
}

/// nn.Flatten: keeps the batch dimension.
public final class Flatten: Module, UnaryLayer {
    public override init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.flatten(from: 1) }
}
