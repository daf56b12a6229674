import Torch

/// YOLOv5's `Conv`: convolution without bias, batch norm (eps 1e-3, momentum 0.03 as ultralytics
/// trains it) and SiLU. Padding keeps the size at stride 1 ("same", k // 2).
public final class ConvBNSiLU: Module, UnaryLayer {
    public let conv: Conv2d
    public let bn: BatchNorm

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int = 1, stride: Int = 1, padding: Int? = nil) throws {
        conv = try Conv2d(inChannels, outChannels, kernelSize: Pair(kernel, kernel), stride: Pair(stride, stride),
                          padding: Pair(padding ?? kernel / 2, padding ?? kernel / 2), bias: false)
        bn = try BatchNorm(outChannels, eps: 1e-3, momentum: 0.03)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try bn(conv(x)).silu() }
}

/// A 1×1 then 3×3 convolution, with a residual connection when asked and the shapes allow.
public final class Bottleneck: Module, UnaryLayer {
    public let cv1: ConvBNSiLU
    public let cv2: ConvBNSiLU
    let add: Bool

    public init(_ inChannels: Int, _ outChannels: Int, shortcut: Bool = true, expansion: Double = 0.5) throws {
        let hidden = Int(Double(outChannels) * expansion)
        cv1 = try ConvBNSiLU(inChannels, hidden)
        cv2 = try ConvBNSiLU(hidden, outChannels, kernel: 3)
        add = shortcut && inChannels == outChannels
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try cv2(cv1(x))
        return add ? try x + y : y
    }
}

/// CSP bottleneck with three convolutions: `cv3(cat(m(cv1(x)), cv2(x)))`.
public final class C3: Module, UnaryLayer {
    public let cv1: ConvBNSiLU
    public let cv2: ConvBNSiLU
    public let cv3: ConvBNSiLU
    public let m: Sequential

    public init(_ inChannels: Int, _ outChannels: Int, repeats: Int = 1, shortcut: Bool = true) throws {
        let hidden = outChannels / 2
        cv1 = try ConvBNSiLU(inChannels, hidden)
        cv2 = try ConvBNSiLU(inChannels, hidden)
        cv3 = try ConvBNSiLU(2 * hidden, outChannels)
        m = Sequential(try (0..<repeats).map { _ in try Bottleneck(hidden, hidden, shortcut: shortcut, expansion: 1) })
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try cv3(Tensor.cat([m(cv1(x)), cv2(x)], dim: 1))
    }
}

/// Spatial pyramid pooling, fast: three chained k×k max-pools concatenated with their input.
public final class SPPF: Module, UnaryLayer {
    public let cv1: ConvBNSiLU
    public let cv2: ConvBNSiLU
    let pool: MaxPool2d

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int = 5) throws {
        let hidden = inChannels / 2
        cv1 = try ConvBNSiLU(inChannels, hidden)
        cv2 = try ConvBNSiLU(hidden * 4, outChannels)
        pool = MaxPool2d(Pair(kernel, kernel), stride: 1, padding: Pair(kernel / 2, kernel / 2))
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let a = try cv1(x)
        let b = try pool(a), c = try pool(b)
        return try cv2(Tensor.cat([a, b, c, pool(c)], dim: 1))
    }
}

/// Nearest-neighbour upsampling by an integer factor (nn.Upsample(None, 2, 'nearest')).
public final class Upsample: Module, UnaryLayer {
    public let factor: Int
    public init(factor: Int = 2) { self.factor = factor; super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.upsampleNearest(Pair(x.shape[2] * factor, x.shape[3] * factor))
    }
}

/// Channel concatenation of routed feature maps (`Concat`, no parameters; keeps its index in the
/// layer list so later layers' state-dict names match ultralytics').
public final class Concat: Module {
    public override init() { super.init() }
}
