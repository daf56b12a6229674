import Models
import Torch

/// YOLOv5's ONNX form as ultralytics' export.py writes it: the decoded head output
/// [batch, Σ anchors·cells, 5 + classes] (centre x, y, w, h in input pixels, objectness, class
/// probabilities), NMS left to the runtime. Grid offsets and anchor sizes are constants of the
/// export size, so a file serves one input size.

extension ConvBNSiLU: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let y = try bn.exportONNX(conv.exportONNX(input, path: onnxPath(path, "conv"), to: &graph), path: onnxPath(path, "bn"), to: &graph)
        return try ONNXOps.activation(.silu, y, name: onnxPath(path, "act"), to: &graph)
    }
}

extension Bottleneck: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let y = try cv2.exportONNX(cv1.exportONNX(input, path: onnxPath(path, "cv1"), to: &graph), path: onnxPath(path, "cv2"), to: &graph)
        return add ? graph.op("Add", [input, y], name: path) : y
    }
}

extension C3: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let a = try m.exportONNX(cv1.exportONNX(input, path: onnxPath(path, "cv1"), to: &graph), path: onnxPath(path, "m"), to: &graph)
        let b = try cv2.exportONNX(input, path: onnxPath(path, "cv2"), to: &graph)
        return try cv3.exportONNX(graph.op("Concat", [a, b], name: path, attributes: [.int("axis", 1)]), path: onnxPath(path, "cv3"), to: &graph)
    }
}

extension SPPF: ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let a = try cv1.exportONNX(input, path: onnxPath(path, "cv1"), to: &graph)
        let b = try pool.exportONNX(a, path: onnxPath(path, "m"), to: &graph)
        let c = try pool.exportONNX(b, path: onnxPath(path, "m"), to: &graph)
        let d = try pool.exportONNX(c, path: onnxPath(path, "m"), to: &graph)
        return try cv2.exportONNX(graph.op("Concat", [a, b, c, d], name: path, attributes: [.int("axis", 1)]), path: onnxPath(path, "cv2"), to: &graph)
    }
}

extension Upsample: ONNXExportable {
    /// Resize (nearest, floor, asymmetric): torch's `interpolate(mode="nearest")`.
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let scales = try graph.constant([1, 1, Float(factor), Float(factor)], name: onnxPath(path, "scales"))
        let roi = try graph.constant([Float](), name: onnxPath(path, "roi"))
        return graph.op("Resize", [input, roi, scales], name: path, attributes: [
            .string("mode", "nearest"), .string("coordinate_transformation_mode", "asymmetric"), .string("nearest_mode", "floor"),
        ])
    }
}

extension Detect {
    /// The decoded boxes of every level, as `decode(raw(features))`; `sizes` are the levels' (ny, nx).
    func exportONNX(_ features: [String], sizes: [(Int, Int)], path: String, to graph: inout ONNXGraph) throws -> String {
        guard let anchors else { throw TorchError("ONNX export: \(path) has no anchors", category: .badInput) }
        let (na, no) = (anchorsPerLevel, classes + 5)
        let anchorValues = try anchors.to(.cpu, dtype: .float32).floats()
        let levels = try features.enumerated().map { level, x -> String in
            let name = onnxPath(path, "m.\(level)"), (ny, nx) = sizes[level], stride = Float(strides[level])
            let y = try m[level].exportONNX(x, path: name, to: &graph)
            let shape5 = try graph.constant(int64: [-1, Int64(na), Int64(no), Int64(ny), Int64(nx)], name: "\(name)/shape5")
            let maps = graph.op("Sigmoid", [graph.op("Transpose", [graph.op("Reshape", [y, shape5], name: name)], name: name,
                                                      attributes: [.ints("perm", [0, 1, 3, 4, 2])])], name: name)
            // Slices rather than Split: OpenCV DNN 4.6 reads Split's sizes only as an attribute, which opset 13+ forbids.
            let axis = try graph.constant(int64: [4], name: "\(name)/axis")
            let parts = try [(0, 2), (2, 4), (4, no)].map { start, end in
                graph.op("Slice", [maps, try graph.constant(int64: [Int64(start)], name: "\(name)/start"),
                                   try graph.constant(int64: [Int64(end)], name: "\(name)/end"), axis], name: name)
            }
            // xy = (2σ + grid − 0.5)·stride and wh = (2σ)²·anchor, with the constants laid out per cell.
            var offsets: [Float] = [], sizesPerCell: [Float] = []
            for a in 0..<na {
                for gy in 0..<ny {
                    for gx in 0..<nx {
                        offsets += [(Float(gx) - 0.5) * stride, (Float(gy) - 0.5) * stride]
                        let w = anchorValues[(level * na + a) * 2] * stride, h = anchorValues[(level * na + a) * 2 + 1] * stride
                        sizesPerCell += [4 * w, 4 * h]
                    }
                }
            }
            let cellShape = [1, na, ny, nx, 2]
            let xy = graph.op("Add", [graph.op("Mul", [parts[0], try graph.constant(Tensor([2 * stride], shape: []), name: "\(name)/xy_scale")], name: name),
                                      try graph.constant(Tensor(offsets, shape: cellShape), name: "\(name)/grid")], name: name)
            let wh = graph.op("Mul", [graph.op("Mul", [parts[1], parts[1]], name: name),
                                      try graph.constant(Tensor(sizesPerCell, shape: cellShape), name: "\(name)/anchor_grid")], name: name)
            let shape3 = try graph.constant(int64: [-1, Int64(na * ny * nx), Int64(no)], name: "\(name)/shape3")
            return graph.op("Reshape", [graph.op("Concat", [xy, wh, parts[2]], name: name, attributes: [.int("axis", 4)]), shape3], name: name)
        }
        return graph.op("Concat", levels, name: path, attributes: [.int("axis", 1)])
    }
}

extension YOLOv5: UnaryLayer, ONNXExportable {
    public func exportONNX(_ input: String, path: String, to graph: inout ONNXGraph) throws -> String {
        let (height, width) = (graph.inputShape[2], graph.inputShape[3])
        guard height % 32 == 0, width % 32 == 0 else {
            throw TorchError("ONNX export: YOLOv5 needs an input size divisible by 32, not \(height)x\(width)", category: .badConfig)
        }
        var pyramid: [String]?
        if let backbone {
            // Inputs are RGB in [0, 1]; the ported backbone expects TensorFlow's [-1, 1] scaling.
            let scaled = graph.op("Add", [graph.op("Mul", [input, try graph.constant(Tensor([Float(255.0 / 128)], shape: []), name: "backbone/scale")], name: "backbone"),
                                          try graph.constant(Tensor([Float(-127.0 / 128)], shape: []), name: "backbone/shift")], name: "backbone")
            pyramid = try backbone.exportPyramid(scaled, path: onnxPath(path, "backbone"), to: &graph)
        }
        return try route(input, pyramid: pyramid, concat: { index, sources in
            graph.op("Concat", sources, name: onnxPath(path, "model.\(index)"), attributes: [.int("axis", 1)])
        }, layer: { index, module, x in
            try onnxExport(module, x, path: onnxPath(path, "model.\(index)"), to: &graph)
        }, detect: { detect, sources in
            try detect.exportONNX(sources, sizes: detect.strides.map { (height / $0, width / $0) }, path: onnxPath(path, "model.\(model.count - 1)"), to: &graph)
        })
    }
}
