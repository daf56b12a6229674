import Foundation
import LookKitCore
import SwiftProtobuf
import Torch

/// Writes an `ONNXGraph` as an ONNX model (protobuf, through apple/swift-protobuf): one float32 image
/// input, the graph's outputs, weights as initializers and LookKit's metadata in `metadata_props`.
public enum ONNXModelFile {
    /// The IR version that opset 17 files carry (onnx 1.12+).
    static let irVersion: Int64 = 8

    /// - Parameters:
    ///   - outputs: (value, name in the file) of each output, with its shape (-1: the batch).
    ///   - dynamicBatch: the input's and outputs' first dimension is symbolic (`batch`).
    public static func encode(_ graph: ONNXGraph, input: String, outputs: [(value: String, name: String, shape: [Int])], opset: Int,
                              dynamicBatch: Bool, metadata: [String: String]) throws -> Data {
        var g = Onnx_GraphProto()
        g.name = "lookkit"
        // Graph outputs named by the caller: an Identity gives each file-level name its value.
        var nodes = graph.nodes.map(proto)
        for output in outputs where output.value != output.name {
            var identity = Onnx_NodeProto()
            (identity.opType, identity.name, identity.input, identity.output) = ("Identity", "\(output.name)/Identity", [output.value], [output.name])
            nodes.append(identity)
        }
        g.node = nodes
        g.initializer = try graph.initializers.map(proto)
        g.input = [valueInfo(input, shape: graph.inputShape, dynamicBatch: dynamicBatch)]
        g.output = outputs.map { valueInfo($0.name, shape: $0.shape, dynamicBatch: dynamicBatch) }
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "LookKit"
        model.producerVersion = LookKitVersion.string
        var domain = Onnx_OperatorSetIdProto()
        (domain.domain, domain.version) = ("", Int64(opset))
        model.opsetImport = [domain]
        model.graph = g
        model.metadataProps = metadata.sorted { $0.key < $1.key }.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            (entry.key, entry.value) = (key, value)
            return entry
        }
        return try model.serializedData()
    }

    /// The metadata of a written file.
    public static func metadata(of url: URL) throws -> [String: String] {
        let model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: url))
        return Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    private static func proto(_ node: ONNXGraph.Node) -> Onnx_NodeProto {
        var p = Onnx_NodeProto()
        (p.opType, p.name, p.input, p.output) = (node.op, node.name, node.inputs, node.outputs)
        p.attribute = node.attributes.map { attribute in
            var a = Onnx_AttributeProto()
            switch attribute {
            case let .int(name, value): (a.name, a.type, a.i) = (name, .int, Int64(value))
            case let .ints(name, values): (a.name, a.type, a.ints) = (name, .ints, values.map(Int64.init))
            case let .float(name, value): (a.name, a.type, a.f) = (name, .float, value)
            case let .string(name, value): (a.name, a.type, a.s) = (name, .string, Data(value.utf8))
            }
            return a
        }
        return p
    }

    private static func proto(_ initializer: (name: String, tensor: Tensor)) throws -> Onnx_TensorProto {
        var p = Onnx_TensorProto()
        p.name = initializer.name
        p.dims = initializer.tensor.shape.map(Int64.init)
        if initializer.tensor.dtype == .int64 {
            p.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            p.rawData = try initializer.tensor.int64s().withUnsafeBufferPointer { Data(buffer: $0) }
        } else {
            p.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            p.rawData = try initializer.tensor.floats().withUnsafeBufferPointer { Data(buffer: $0) }
        }
        return p
    }

    private static func valueInfo(_ name: String, shape: [Int], dynamicBatch: Bool) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape.dim = shape.enumerated().map { i, size in
            var dim = Onnx_TensorShapeProto.Dimension()
            if i == 0 && (dynamicBatch || size < 0) { dim.dimParam = "batch" } else { dim.dimValue = Int64(size) }
            return dim
        }
        info.type.tensorType = tensor
        return info
    }
}
