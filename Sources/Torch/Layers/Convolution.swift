/// 2-D convolution over N×C×H×W (nn.Conv2d; weight is out × in/groups × kh × kw).
public final class Conv2d: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?
    public let stride: Pair, padding: Pair, dilation: Pair, groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Pair, stride: Pair = 1, padding: Pair = 0,
                dilation: Pair = 1, groups: Int = 1, bias: Bool = true) throws {
        guard groups > 0, inChannels % groups == 0, outChannels % groups == 0 else {
            throw TorchError("Conv2d: channels \(inChannels)→\(outChannels) are not divisible by groups \(groups)")
        }
        let fanIn = inChannels / groups * kernelSize.h * kernelSize.w
        _weight = Parameter(wrappedValue: try Init.fanInUniform(
            [outChannels, inChannels / groups, kernelSize.h, kernelSize.w], fanIn: fanIn))
        _bias = OptionalParameter(wrappedValue: bias ? try Init.fanInUniform([outChannels], fanIn: fanIn) : nil)
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.conv2d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// Transposed 2-D convolution (nn.ConvTranspose2d; weight is in × out/groups × kh × kw), for decoders.
public final class ConvTranspose2d: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?
    public let stride: Pair, padding: Pair, outputPadding: Pair, groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Pair, stride: Pair = 1, padding: Pair = 0,
                outputPadding: Pair = 0, groups: Int = 1, bias: Bool = true) throws {
        // PyTorch computes fan-in from weight dim 1: out/groups · kh · kw.
        let fanIn = outChannels / groups * kernelSize.h * kernelSize.w
        _weight = Parameter(wrappedValue: try Init.fanInUniform(
            [inChannels, outChannels / groups, kernelSize.h, kernelSize.w], fanIn: fanIn))
        _bias = OptionalParameter(wrappedValue: bias ? try Init.fanInUniform([outChannels], fanIn: fanIn) : nil)
        (self.stride, self.padding, self.outputPadding, self.groups) = (stride, padding, outputPadding, groups)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.convTranspose2d(weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups)
    }
}
