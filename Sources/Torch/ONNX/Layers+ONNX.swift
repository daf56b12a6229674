/// The ONNX nodes of Torch's layers (opset 13+, as OpenCV DNN 4.6 and onnxruntime read them).

extension Conv2d: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        try exportONNX(input, path: path, to: &graph, pads: [padding.h, padding.w, padding.h, padding.w])
    }

    /// With explicit [top, left, bottom, right] pads (TensorFlow's "SAME" pads the bottom/right more).
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph, pads: [Int]) throws -> String {
        let k = weight.shape
        let inputs = [input, try graph.constant(weight, name: onnxPath(path, "weight"))] + (try bias.map { [try graph.constant($0, name: onnxPath(path, "bias"))] } ?? [])
        return graph.op("Conv", inputs, name: path, attributes: [
            .ints("kernel_shape", [k[2], k[3]]), .ints("strides", [stride.h, stride.w]), .ints("pads", pads),
            .ints("dilations", [dilation.h, dilation.w]), .int("group", groups),
        ])
    }
}

extension BatchNorm: ONNXExportable {
    /// Inference batch norm from the running statistics (N×C or N×C×H×W).
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        guard let runningMean, let runningVar else {
            throw TorchError("ONNX export: \(path) is a batch norm without running statistics", category: .badInput)
        }
        let channels = runningMean.shape[0]
        let scale = try weight ?? Tensor.ones([channels]), shift = try bias ?? Tensor.zeros([channels])
        let inputs = [input, try graph.constant(scale, name: onnxPath(path, "weight")), try graph.constant(shift, name: onnxPath(path, "bias")),
                      try graph.constant(runningMean, name: onnxPath(path, "running_mean")), try graph.constant(runningVar, name: onnxPath(path, "running_var"))]
        return graph.op("BatchNormalization", inputs, name: path, attributes: [.float("epsilon", Float(eps))])
    }
}

extension Linear: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let inputs = [input, try graph.constant(weight, name: onnxPath(path, "weight"))] + (try bias.map { [try graph.constant($0, name: onnxPath(path, "bias"))] } ?? [])
        return graph.op("Gemm", inputs, name: path, attributes: [.int("transB", 1)])
    }
}

extension Activation: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        guard let kind else { throw TorchError("ONNX export: \(path) is a custom activation with no ONNX form", category: .badInput) }
        return try ONNXOps.activation(kind, input, name: path, to: &graph)
    }
}

extension Identity: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String { input }
}

extension Dropout: ONNXExportable {
    /// Identity at inference.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String { input }
}

extension MaxPool2d: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        graph.op("MaxPool", [input], name: path, attributes: [
            .ints("kernel_shape", [kernel.h, kernel.w]), .ints("strides", [stride.h, stride.w]),
            .ints("pads", [padding.h, padding.w, padding.h, padding.w]), .int("ceil_mode", ceilMode ? 1 : 0),
        ])
    }
}

extension AvgPool2d: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        graph.op("AveragePool", [input], name: path, attributes: [
            .ints("kernel_shape", [kernel.h, kernel.w]), .ints("strides", [stride.h, stride.w]),
            .ints("pads", [padding.h, padding.w, padding.h, padding.w]), .int("count_include_pad", 1),
        ])
    }
}

extension AdaptiveAvgPool2d: ONNXExportable {
    /// Only the global form (output 1×1) has a size-independent ONNX operator.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        guard size.h == 1, size.w == 1 else {
            throw TorchError("ONNX export: \(path) pools to \(size.h)x\(size.w); only global (1x1) pooling exports", category: .badInput)
        }
        return graph.op("GlobalAveragePool", [input], name: path)
    }
}

extension Flatten: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        graph.op("Flatten", [input], name: path, attributes: [.int("axis", 1)])
    }
}

extension Sequential: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        var x = input
        for (name, layer) in children() { x = try onnxExport(layer, x, path: onnxPath(path, name), to: &graph) }
        return x
    }
}

/// Nodes for tensor functions used inside models' forward code.
public enum ONNXOps {
    public static func activation(_ kind: Activation.Kind, _ x: String, name: String, to graph: inout ONNXGraph) throws -> String {
        switch kind {
        case .relu: return graph.op("Relu", [x], name: name)
        // relu(x) − relu(x − 6): OpenCV DNN 4.6 reads Clip's bounds only as attributes, which opset 11+ forbids.
        case .relu6:
            let six = try graph.constant(Tensor([Float(6)], shape: []), name: "\(name)/six")
            return graph.op("Sub", [graph.op("Relu", [x], name: name), graph.op("Relu", [graph.op("Sub", [x, six], name: name)], name: name)], name: name)
        case .sigmoid: return graph.op("Sigmoid", [x], name: name)
        case .tanh: return graph.op("Tanh", [x], name: name)
        case .silu: return graph.op("Mul", [x, graph.op("Sigmoid", [x], name: name)], name: name)
        // x·hardsigmoid(x) with hardsigmoid = clip(x/6 + 1/2, 0, 1), as yolov5's export writes hardswish.
        case .hardswish:
            return graph.op("Mul", [x, graph.op("HardSigmoid", [x], name: name, attributes: [.float("alpha", 1.0 / 6), .float("beta", 0.5)])], name: name)
        }
    }

    /// x / (‖x‖₂ over dim 1 + 1e-12) for N×`dimension` rows: `normalized(dim: 1)` divides by max(‖x‖, 1e-12),
    /// the same for any norm above 1e-5 in float32. The norm is expanded to x's shape before dividing:
    /// OpenCV DNN 4.6 neither broadcasts a Div nor reads LpNormalization or Max with a constant.
    public static func l2Normalized(_ x: String, dimension: Int, name: String, to graph: inout ONNXGraph) throws -> String {
        let norm = graph.op("ReduceL2", [x], name: name, attributes: [.ints("axes", [1]), .int("keepdims", 1)])
        let eps = try graph.constant(Tensor([Float(1e-12)], shape: []), name: "\(name)/eps")
        let shape = try graph.constant(int64: [1, Int64(dimension)], name: "\(name)/shape")
        return graph.op("Div", [x, graph.op("Expand", [graph.op("Add", [norm, eps], name: name), shape], name: name)], name: name)
    }
}
