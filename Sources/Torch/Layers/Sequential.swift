/// Layers applied in order; children are named 0, 1, 2… as nn.Sequential names them.
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) { self.layers = layers; super.init() }
    public convenience init(_ layers: any UnaryLayer...) { self.init(layers) }

    public override func children() -> [(String, Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try layers.reduce(x) { try $1($0) }
    }
}
