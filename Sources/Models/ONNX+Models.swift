import Torch

/// A feature extractor whose pooled features (N×featureDimension) have an ONNX form.
public protocol ONNXFeatureExportable: FeatureExtractor {
    func exportPooledFeatures(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String
}

/// A backbone whose last feature map (before global pooling: the style embedder's regions) has an ONNX form;
/// its pooled features are that map averaged.
public protocol ONNXMapExportable: ONNXFeatureExportable, Backbone {
    func exportFeatureMap(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String
}

extension ONNXMapExportable {
    public func exportPooledFeatures(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let map = try exportFeatureMap(input, path: path, to: &graph)
        return graph.op("Flatten", [graph.op("GlobalAveragePool", [map], name: onnxPath(path, "avgpool"))], name: path, attributes: [.int("axis", 1)])
    }
}

/// The pooled features of `extractor`, or an error naming it when it has no ONNX form.
func exportPooledFeatures(_ extractor: any FeatureExtractor, _ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
    guard let exportable = extractor as? any ONNXFeatureExportable else {
        throw TorchError("ONNX export: \(path) is a \(type(of: extractor)), whose features have no ONNX form yet", category: .badInput)
    }
    return try exportable.exportPooledFeatures(input, path: path, to: &graph)
}

extension SmallCNN: ONNXFeatureExportable, ONNXExportable {
    public func exportPooledFeatures(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        graph.op("Flatten", [try features.exportONNX(input, path: onnxPath(path, "features"), to: &graph)], name: path, attributes: [.int("axis", 1)])
    }

    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        try classifier.exportONNX(exportPooledFeatures(input, path: path, to: &graph), path: onnxPath(path, "classifier"), to: &graph)
    }
}

extension TripletEmbedder: ONNXExportable {
    /// Unit-length embeddings, as `callAsFunction`.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let pooled = try exportPooledFeatures(backbone, input, path: onnxPath(path, "backbone"), to: &graph)
        let learned = try ONNXOps.l2Normalized(head.exportONNX(pooled, path: onnxPath(path, "head"), to: &graph), dimension: headDimension,
                                               name: onnxPath(path, "normalize"), to: &graph)
        guard backboneShare > 0 else { return learned }
        let features = try ONNXOps.l2Normalized(pooled, dimension: backbone.featureDimension, name: onnxPath(path, "normalize_backbone"), to: &graph)
        let scaled = try [(features, backboneShare), (learned, 1 - backboneShare)].map { value, share in
            graph.op("Mul", [value, try graph.constant([Float(share.squareRoot())], name: onnxPath(path, "share"))], name: onnxPath(path, "share"))
        }
        return graph.op("Concat", scaled, name: path, attributes: [.int("axis", 1)])
    }
}

extension BackboneClassifier: ONNXExportable {
    /// Class logits, as `callAsFunction`.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        try head.exportONNX(exportPooledFeatures(backbone, input, path: onnxPath(path, "backbone"), to: &graph), path: onnxPath(path, "head"), to: &graph)
    }
}

extension EfficientNetLite0: ONNXMapExportable, ONNXExportable {
    public func exportFeatureMap(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let blocksOut = try exportBlocks(input, path: path, taps: [], to: &graph).last
        return try relu6(bn1.exportONNX(convHead.exportONNX(blocksOut, path: onnxPath(path, "_conv_head"), to: &graph), path: onnxPath(path, "_bn1"), to: &graph),
                         onnxPath(path, "_bn1"), &graph)
    }

    /// The maps of `pyramid` (strides 8, 16, 32) for a detection neck.
    public func exportPyramid(_ input: String, path: String, to graph: inout ONNXGraph) throws -> [String] {
        try exportBlocks(input, path: path, taps: [4, 10, 15], to: &graph).taps
    }

    /// Stem and blocks, following the spatial size for TensorFlow's "SAME" pads; the outputs of the
    /// blocks in `taps` and of the last block.
    private func exportBlocks(_ input: String, path: String, taps: Set<Int>, to graph: inout ONNXGraph) throws -> (taps: [String], last: String) {
        var size = (graph.inputShape[2], graph.inputShape[3])
        var x = try convStem.exportONNX(input, path: onnxPath(path, "_conv_stem"), to: &graph, pads: tfSamePads(size, convStem))
        size = strided(size, convStem)
        x = try relu6(bn0.exportONNX(x, path: onnxPath(path, "_bn0"), to: &graph), onnxPath(path, "_bn0"), &graph)
        var tapped: [String] = []
        for (i, block) in blocks.enumerated() {
            x = try block.exportONNX(x, path: onnxPath(path, "_blocks.\(i)"), size: size, to: &graph)
            size = strided(size, block.depthwiseConv)
            if taps.contains(i) { tapped.append(x) }
        }
        return (tapped, x)
    }

    /// Class logits, or the pooled features when built without a head.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let pooled = try exportPooledFeatures(input, path: path, to: &graph)
        return try fc.map { try $0.exportONNX(pooled, path: onnxPath(path, "_fc"), to: &graph) } ?? pooled
    }
}

private func relu6(_ x: String, _ name: String, _ graph: inout ONNXGraph) throws -> String {
    try ONNXOps.activation(.relu6, x, name: name, to: &graph)
}

extension MBConvBlock {
    func exportONNX(_ input: String, path: String, size: (Int, Int), to graph: inout ONNXGraph) throws -> String {
        var h = input
        if let expandConv, let bn0 {
            h = try bn0.exportONNX(expandConv.exportONNX(h, path: onnxPath(path, "_expand_conv"), to: &graph), path: onnxPath(path, "_bn0"), to: &graph)
            h = try ONNXOps.activation(.relu6, h, name: onnxPath(path, "_bn0"), to: &graph)
        }
        let pads = depthwiseConv.stride.h > 1 ? tfSamePads(size, depthwiseConv) : [depthwiseConv.padding.h, depthwiseConv.padding.w, depthwiseConv.padding.h, depthwiseConv.padding.w]
        h = try bn1.exportONNX(depthwiseConv.exportONNX(h, path: onnxPath(path, "_depthwise_conv"), to: &graph, pads: pads), path: onnxPath(path, "_bn1"), to: &graph)
        h = try ONNXOps.activation(.relu6, h, name: onnxPath(path, "_bn1"), to: &graph)
        h = try bn2.exportONNX(projectConv.exportONNX(h, path: onnxPath(path, "_project_conv"), to: &graph), path: onnxPath(path, "_bn2"), to: &graph)
        return usesResidual ? graph.op("Add", [h, input], name: path) : h
    }
}

private func strided(_ size: (Int, Int), _ conv: Conv2d) -> (Int, Int) {
    ((size.0 + conv.stride.h - 1) / conv.stride.h, (size.1 + conv.stride.w - 1) / conv.stride.w)
}

/// Unit-length pooled features of a backbone: what raw-feature baselines rank by (cosine), as a
/// module that runs and exports.
public final class PooledEmbedding: Module, UnaryLayer, ONNXExportable {
    public let backbone: any FeatureExtractor
    public init(_ backbone: any FeatureExtractor) { self.backbone = backbone; super.init() }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try backbone.pooledFeatures(x).normalized(dim: 1) }

    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        try ONNXOps.l2Normalized(exportPooledFeatures(backbone, input, path: onnxPath(path, "backbone"), to: &graph),
                                 dimension: backbone.featureDimension, name: onnxPath(path, "normalize"), to: &graph)
    }
}

extension ResNet: ONNXMapExportable, ONNXExportable {
    public func exportFeatureMap(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        var x = try bn1.exportONNX(conv1.exportONNX(input, path: onnxPath(path, "conv1"), to: &graph), path: onnxPath(path, "bn1"), to: &graph)
        x = try MaxPool2d(3, stride: 2, padding: 1).exportONNX(graph.op("Relu", [x], name: onnxPath(path, "relu")), path: onnxPath(path, "maxpool"), to: &graph)
        for (name, layer) in [("layer1", layer1), ("layer2", layer2), ("layer3", layer3), ("layer4", layer4)] {
            x = try layer.exportONNX(x, path: onnxPath(path, name), to: &graph)
        }
        return x
    }

    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let pooled = try exportPooledFeatures(input, path: path, to: &graph)
        return try fc.map { try $0.exportONNX(pooled, path: onnxPath(path, "fc"), to: &graph) } ?? pooled
    }
}

/// (main + shortcut) then ReLU, the shortcut projected when the block has a `downsample`.
private func exportResidual(_ input: String, main: String, downsample: Sequential?, path: String, to graph: inout ONNXGraph) throws -> String {
    let shortcut = try downsample.map { try $0.exportONNX(input, path: onnxPath(path, "downsample"), to: &graph) } ?? input
    return graph.op("Relu", [graph.op("Add", [main, shortcut], name: path)], name: path)
}

extension BasicBlock: ONNXExportable {
    func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        var h = try bn1.exportONNX(conv1.exportONNX(input, path: onnxPath(path, "conv1"), to: &graph), path: onnxPath(path, "bn1"), to: &graph)
        h = try bn2.exportONNX(conv2.exportONNX(graph.op("Relu", [h], name: onnxPath(path, "relu1")), path: onnxPath(path, "conv2"), to: &graph),
                               path: onnxPath(path, "bn2"), to: &graph)
        return try exportResidual(input, main: h, downsample: downsample, path: path, to: &graph)
    }
}

extension Bottleneck: ONNXExportable {
    func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        var h = try bn1.exportONNX(conv1.exportONNX(input, path: onnxPath(path, "conv1"), to: &graph), path: onnxPath(path, "bn1"), to: &graph)
        h = try bn2.exportONNX(conv2.exportONNX(graph.op("Relu", [h], name: onnxPath(path, "relu1")), path: onnxPath(path, "conv2"), to: &graph),
                               path: onnxPath(path, "bn2"), to: &graph)
        h = try bn3.exportONNX(conv3.exportONNX(graph.op("Relu", [h], name: onnxPath(path, "relu2")), path: onnxPath(path, "conv3"), to: &graph),
                               path: onnxPath(path, "bn3"), to: &graph)
        return try exportResidual(input, main: h, downsample: downsample, path: path, to: &graph)
    }
}

extension MobileNetV2: ONNXMapExportable, ONNXExportable {
    public func exportFeatureMap(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        try features.exportONNX(input, path: onnxPath(path, "features"), to: &graph)
    }

    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let pooled = try exportPooledFeatures(input, path: path, to: &graph)
        return try classifier.map { try $0.exportONNX(pooled, path: onnxPath(path, "classifier"), to: &graph) } ?? pooled
    }
}

extension InvertedResidual: ONNXExportable {
    func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let y = try conv.exportONNX(input, path: onnxPath(path, "conv"), to: &graph)
        return usesResidual ? graph.op("Add", [input, y], name: path) : y
    }
}

/// An autoencoder's retrieval path (encoder → flatten → bottleneck → L2) as a module: what
/// `lookkit embed` ranks by and what its export holds (the decoder is training's business only).
public final class AutoencoderEmbedding: Module, UnaryLayer, ONNXExportable {
    public let autoencoder: ConvAutoencoder
    public init(_ autoencoder: ConvAutoencoder) { self.autoencoder = autoencoder; super.init() }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try autoencoder.embed(x) }

    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let encoded = try autoencoder.encoder.exportONNX(input, path: onnxPath(path, "encoder"), to: &graph)
        let flat = graph.op("Flatten", [encoded], name: onnxPath(path, "flatten"), attributes: [.int("axis", 1)])
        let code = try autoencoder.bottleneck.exportONNX(flat, path: onnxPath(path, "bottleneck"), to: &graph)
        return try ONNXOps.l2Normalized(code, dimension: autoencoder.bottleneck.weight.shape[0], name: onnxPath(path, "normalize"), to: &graph)
    }
}
