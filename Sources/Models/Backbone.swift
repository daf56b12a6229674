import Torch

/// One named step of a backbone's forward pass. Names follow the PyTorch module whose output the
/// stage ends with (`layer3`, `features.13`), so a stage list reads like torchvision's feature nodes.
public struct Stage {
    public let name: String
    let forward: (Tensor) throws -> Tensor

    public init(_ name: String, _ forward: @escaping (Tensor) throws -> Tensor) {
        (self.name, self.forward) = (name, forward)
    }

    public init(_ name: String, _ layer: any UnaryLayer) {
        self.init(name) { try layer($0) }
    }
}

/// An ImageNet-style network cut into named stages that end in global average pooling: what
/// classifier heads, triplet embedders and the complete-the-look embedder sit on.
public protocol Backbone: FeatureExtractor, UnaryLayer {
    /// The forward pass in order, up to and including `avgpool` (N×featureDimension×1×1).
    var stages: [Stage] { get }
    /// Per-channel mean and standard deviation of [0, 1] RGB inputs the weights expect.
    var inputNormalization: (mean: [Float], std: [Float]) { get }
}

extension Backbone {
    /// torchvision's ImageNet statistics.
    public var inputNormalization: (mean: [Float], std: [Float]) { ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]) }

    public var stageNames: [String] { stages.map(\.name) }

    /// The output of one stage, e.g. `features(x, upTo: "layer3")`.
    public func features(_ x: Tensor, upTo stage: String) throws -> Tensor {
        try features(x, at: [stage])[0]
    }

    /// The outputs of several stages from one forward pass, in the order asked; the pass stops at
    /// the last stage needed.
    public func features(_ x: Tensor, at names: [String]) throws -> [Tensor] {
        guard !names.isEmpty else { throw TorchError("\(Self.self).features: no stage asked for") }
        let all = stages
        let unknown = names.filter { name in !all.contains { $0.name == name } }
        guard unknown.isEmpty else {
            throw TorchError("\(Self.self) has no stage \(unknown.joined(separator: ", ")) (stages: \(all.map(\.name).joined(separator: ", ")))")
        }
        let wanted = Set(names)
        var outputs: [String: Tensor] = [:]
        var x = x
        for stage in all where outputs.count < wanted.count {
            x = try stage.forward(x)
            if names.contains(stage.name) { outputs[stage.name] = x }
        }
        return names.compactMap { outputs[$0] }
    }

    /// Pooled features, N×featureDimension: the `avgpool` stage flattened.
    public func embed(_ x: Tensor) throws -> Tensor {
        try features(x, upTo: "avgpool").flatten(from: 1)
    }

    /// `FeatureExtractor` conformance: the same as `embed`.
    public func pooledFeatures(_ x: Tensor) throws -> Tensor { try embed(x) }
}

/// Backbones by the names configs and flags use.
public enum Backbones {
    public static let names = ResNet.Variant.allCases.map(\.rawValue) + ["mobilenet_v2", "efficientnet_lite0"]

    /// A freshly initialised backbone; `classes` nil builds it headless (pooled features out).
    public static func make(_ name: String, classes: Int? = nil) throws -> any Backbone {
        if let variant = ResNet.Variant(rawValue: name) { return try ResNet(variant, classes: classes) }
        switch name {
        case "mobilenet_v2": return try MobileNetV2(classes: classes)
        case "efficientnet_lite0": return try EfficientNetLite0(classes: classes)
        default: throw TorchError("unknown backbone '\(name)' (known: \(names.joined(separator: ", ")))")
        }
    }
}

/// Convolution → batch norm → activation as one nn.Sequential, the shape of torchvision's
/// `Conv2dNormActivation` (children 0, 1, 2), with "same" padding for odd kernels.
func convNormActivation(_ input: Int, _ output: Int, kernelSize: Int = 3, stride: Int = 1, groups: Int = 1,
                        activation: Activation = .relu6) throws -> Sequential {
    Sequential(try Conv2d(input, output, kernelSize: Pair(kernelSize, kernelSize), stride: Pair(stride, stride),
                          padding: Pair((kernelSize - 1) / 2, (kernelSize - 1) / 2), groups: groups, bias: false),
               try BatchNorm2d(output), activation)
}

/// torchvision's initialisation for ResNet and MobileNetV2: every convolution kaiming-normal with
/// fan-out (std √(2 / (out·kh·kw))) and zero bias, so from-scratch training starts where it would.
func kaimingNormalConvolutions(in module: Module) throws {
    for case let conv as Conv2d in module.modules() {
        let shape = conv.weight.shape
        let std = (2 / Double(shape[0] * shape[2] * shape[3])).squareRoot()
        try conv.weight.copy(from: Tensor.randn(shape) * std)
        try conv.bias?.fill(0)
    }
}
