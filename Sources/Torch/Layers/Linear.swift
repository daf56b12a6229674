/// y = x·Wᵀ + b (nn.Linear; weight is out × in).
public final class Linear: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        _weight = Parameter(wrappedValue: try Init.fanInUniform([outFeatures, inFeatures], fanIn: inFeatures))
        _bias = OptionalParameter(wrappedValue: bias ? try Init.fanInUniform([outFeatures], fanIn: inFeatures) : nil)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.linear(weight, bias: bias) }
}
