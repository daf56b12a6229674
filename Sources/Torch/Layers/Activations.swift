/// An activation as a layer, for `Sequential` (nn.ReLU, nn.SiLU, …). Holds no parameters.
public final class Activation: Module, UnaryLayer {
    /// Which function (the ONNX export writes its nodes from it); nil for a custom closure.
    public let kind: Kind?
    let function: (Tensor) throws -> Tensor
    public enum Kind: String, Sendable { case relu, relu6, silu, sigmoid, hardswish, tanh }

    public init(_ function: @escaping (Tensor) throws -> Tensor) { (kind, self.function) = (nil, function); super.init() }
    init(_ kind: Kind, _ function: @escaping (Tensor) throws -> Tensor) { (self.kind, self.function) = (kind, function); super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try function(x) }

    public static var relu: Activation { Activation(.relu) { try $0.relu() } }
    public static var relu6: Activation { Activation(.relu6) { try $0.relu6() } }
    public static var silu: Activation { Activation(.silu) { try $0.silu() } }
    public static var sigmoid: Activation { Activation(.sigmoid) { try $0.sigmoid() } }
    public static var hardswish: Activation { Activation(.hardswish) { try $0.hardswish() } }
    public static var tanh: Activation { Activation(.tanh) { try $0.tanh() } }
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
