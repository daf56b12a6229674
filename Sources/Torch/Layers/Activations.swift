/// An activation as a layer, for `Sequential` (nn.ReLU, nn.SiLU, …). Holds no parameters.
public final class Activation: Module, UnaryLayer {
    let function: (Tensor) throws -> Tensor
    public init(_ function: @escaping (Tensor) throws -> Tensor) { self.function = function; super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try function(x) }

    public static var relu: Activation { Activation { try $0.relu() } }
    public static var relu6: Activation { Activation { try $0.relu6() } }
    public static var silu: Activation { Activation { try $0.silu() } }
    public static var sigmoid: Activation { Activation { try $0.sigmoid() } }
    public static var hardswish: Activation { Activation { try $0.hardswish() } }
    public static var tanh: Activation { Activation { try $0.tanh() } }
}

/// nn.Identity.
public final class Identity: Module, UnaryLayer {
    public override init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { x }
}

/// nn.Dropout: zeroes with probability p while training, scaling the rest by 1/(1−p).
public final class Dropout: Module, UnaryLayer {
    public let p: Double
    public init(_ p: Double = 0.5) { self.p = p; super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { p == 0 ? x : try x.dropout(p, training: training) }
}
