import Torch

/// torchvision's MobileNetV2 (width 1.0) with the same state-dict names (`features.0.0.weight`,
/// `features.1.conv.0.0.weight`, `features.18.1.running_var`, `classifier.1.weight`), so its
/// checkpoints load strictly. Stages: `features.0`…`features.18`, `avgpool`.
public final class MobileNetV2: Module, Backbone {
    /// Expansion t, output channels c, repeats n, first stride s: the paper's table 2.
    static let invertedResidualSetting = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                                          (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    public static let lastChannels = 1280

    public let features: Sequential
    /// Dropout(0.2) → Linear; nil for a headless backbone (no `classifier.*` in the state dict).
    public let classifier: Sequential?

    /// - Parameter classes: outputs of the classifier, or nil for no classifier head.
    public init(classes: Int? = 1000, dropout: Double = 0.2) throws {
        var layers: [any UnaryLayer] = [try convNormActivation(3, 32, stride: 2)]
        var input = 32
        for (t, c, n, s) in Self.invertedResidualSetting {
            for i in 0 ..< n {
                layers.append(try InvertedResidual(input, c, stride: i == 0 ? s : 1, expansion: t))
                input = c
            }
        }
        layers.append(try convNormActivation(input, Self.lastChannels, kernelSize: 1))
        features = Sequential(layers)
        classifier = try classes.map { Sequential(Dropout(dropout), try Linear(Self.lastChannels, $0)) }
        super.init()
        try kaimingNormalConvolutions(in: self)
        // torchvision: classifier weights N(0, 0.01), zero bias.
        for case let linear as Linear in classifier?.modules() ?? [] {
            try linear.weight.copy(from: Tensor.randn(linear.weight.shape) * 0.01)
            try linear.bias?.fill(0)
        }
    }

    public var featureDimension: Int { Self.lastChannels }

    public var stages: [Stage] {
        features.layers.enumerated().map { Stage("features.\($0.offset)", $0.element) }
            + [Stage("avgpool") { try $0.adaptiveAvgPool2d(1) }]
    }

    /// Class logits, or the pooled features when built without a head.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try embed(x)
        return try classifier.map { try $0(pooled) } ?? pooled
    }
}

/// Expand (1×1, unless t = 1) → depthwise 3×3 → linear 1×1 projection, with the input added back
/// when the shape is kept. torchvision keeps all of it in one `conv` Sequential.
final class InvertedResidual: Module, UnaryLayer {
    let conv: Sequential
    let usesResidual: Bool

    init(_ input: Int, _ output: Int, stride: Int, expansion: Int) throws {
        let hidden = input * expansion
        let expand: [any UnaryLayer] = expansion == 1 ? [] : [try convNormActivation(input, hidden, kernelSize: 1)]
        conv = Sequential(expand + [
            try convNormActivation(hidden, hidden, stride: stride, groups: hidden),
            try Conv2d(hidden, output, kernelSize: 1, bias: false),
            try BatchNorm2d(output),
        ])
        usesResidual = stride == 1 && input == output
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        usesResidual ? try x + conv(x) : try conv(x)
    }
}
