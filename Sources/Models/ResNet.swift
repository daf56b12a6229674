import Torch

/// torchvision's ResNet (v1.5: the stride sits on the 3×3 convolution), with the same state-dict
/// names (`conv1.weight`, `layer2.0.downsample.0.weight`, `fc.bias`…) so its checkpoints load strictly.
/// Stages: `maxpool` (the stem), `layer1`…`layer4`, `avgpool`.
public final class ResNet: Module, Backbone {
    public enum Variant: String, CaseIterable, Sendable {
        case resnet18, resnet34, resnet50, resnet101, resnet152

        var blockCounts: [Int] {
            switch self {
            case .resnet18: [2, 2, 2, 2]
            case .resnet34: [3, 4, 6, 3]
            case .resnet50: [3, 4, 6, 3]
            case .resnet101: [3, 4, 23, 3]
            case .resnet152: [3, 8, 36, 3]
            }
        }

        var usesBottleneck: Bool { self == .resnet50 || self == .resnet101 || self == .resnet152 }
    }

    public let variant: Variant
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let layer1: Sequential
    public let layer2: Sequential
    public let layer3: Sequential
    public let layer4: Sequential
    /// The ImageNet-style classifier; nil for a headless backbone (its state dict then has no `fc.*`).
    public let fc: Linear?

    /// - Parameter classes: outputs of `fc`, or nil for no classifier head.
    public init(_ variant: Variant, classes: Int? = 1000) throws {
        self.variant = variant
        conv1 = try Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false)
        bn1 = try BatchNorm2d(64)
        let expansion = variant.usesBottleneck ? 4 : 1
        var input = 64
        func layer(_ index: Int, width: Int, stride: Int) throws -> Sequential {
            var blocks: [any UnaryLayer] = []
            for i in 0 ..< variant.blockCounts[index] {
                let s = i == 0 ? stride : 1
                blocks.append(variant.usesBottleneck ? try Bottleneck(input, width: width, stride: s)
                                                     : try BasicBlock(input, width: width, stride: s))
                input = width * expansion
            }
            return Sequential(blocks)
        }
        layer1 = try layer(0, width: 64, stride: 1)
        layer2 = try layer(1, width: 128, stride: 2)
        layer3 = try layer(2, width: 256, stride: 2)
        layer4 = try layer(3, width: 512, stride: 2)
        fc = try classes.map { try Linear(512 * expansion, $0) }
        super.init()
        try kaimingNormalConvolutions(in: self)
    }

    public var featureDimension: Int { variant.usesBottleneck ? 2048 : 512 }

    public var stages: [Stage] {
        [Stage("maxpool") { [conv1, bn1] x in try bn1(conv1(x)).relu().maxPool2d(kernel: 3, stride: 2, padding: 1) },
         Stage("layer1", layer1), Stage("layer2", layer2), Stage("layer3", layer3), Stage("layer4", layer4),
         Stage("avgpool") { try $0.adaptiveAvgPool2d(1) }]
    }

    /// Class logits, or the pooled features when built without a head.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try embed(x)
        return try fc.map { try $0(pooled) } ?? pooled
    }
}

/// The main path plus the shortcut, then ReLU; the shortcut projects (1×1 conv + BN, torchvision's
/// `downsample`) when the shape changes.
private func residual(_ x: Tensor, _ main: Tensor, downsample: Sequential?) throws -> Tensor {
    try (main + (downsample.map { try $0(x) } ?? x)).relu()
}

private func projection(_ input: Int, _ output: Int, stride: Int) throws -> Sequential? {
    guard stride != 1 || input != output else { return nil }
    return Sequential(try Conv2d(input, output, kernelSize: 1, stride: Pair(stride, stride), bias: false), try BatchNorm2d(output))
}

/// Two 3×3 convolutions (ResNet-18/34).
final class BasicBlock: Module, UnaryLayer {
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let downsample: Sequential?

    init(_ input: Int, width: Int, stride: Int) throws {
        conv1 = try Conv2d(input, width, kernelSize: 3, stride: Pair(stride, stride), padding: 1, bias: false)
        bn1 = try BatchNorm2d(width)
        conv2 = try Conv2d(width, width, kernelSize: 3, padding: 1, bias: false)
        bn2 = try BatchNorm2d(width)
        downsample = try projection(input, width, stride: stride)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let main = try bn2(conv2(bn1(conv1(x)).relu()))
        return try residual(x, main, downsample: downsample)
    }
}

/// 1×1 reduce, 3×3 (strided), 1×1 expand by 4 (ResNet-50 and deeper).
final class Bottleneck: Module, UnaryLayer {
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let conv3: Conv2d
    let bn3: BatchNorm2d
    let downsample: Sequential?

    init(_ input: Int, width: Int, stride: Int) throws {
        conv1 = try Conv2d(input, width, kernelSize: 1, bias: false)
        bn1 = try BatchNorm2d(width)
        conv2 = try Conv2d(width, width, kernelSize: 3, stride: Pair(stride, stride), padding: 1, bias: false)
        bn2 = try BatchNorm2d(width)
        conv3 = try Conv2d(width, width * 4, kernelSize: 1, bias: false)
        bn3 = try BatchNorm2d(width * 4)
        downsample = try projection(input, width * 4, stride: stride)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let reduced = try bn2(conv2(bn1(conv1(x)).relu())).relu()
        return try residual(x, bn3(conv3(reduced)), downsample: downsample)
    }
}
