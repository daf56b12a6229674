import CVision
import Foundation
import LookKitCore
import Torch

/// A network file loaded by OpenCV DNN: exported ONNX files (the serving path that needs OpenCV and
/// the file, not libtorch) and frozen TensorFlow graphs (the pose gate). Not thread-safe: one
/// forward at a time per instance (callers that share one hold a lock).
public final class OpenCVNet {
    /// What kind of file `init` reads.
    public enum Format: String, Sendable {
        case onnx = "ONNX file"
        case tensorflow = "TensorFlow graph"
    }

    private let net: OpaquePointer
    public let file: URL

    public init(contentsOf file: URL, format: Format = .onnx) throws {
        guard FileManager.default.fileExists(atPath: file.path) else { throw NotFoundError("\(file.path): no such \(format.rawValue)") }
        var net: OpaquePointer?
        let status = switch format {
        case .onnx: cv_dnn_read_onnx(file.path, &net)
        case .tensorflow: cv_dnn_read_tensorflow(file.path, &net)
        }
        guard status == 0, let net else {
            throw MalformedFile(file: file.path, reason: "OpenCV DNN cannot read it as a \(format.rawValue): \(String(cString: cv_last_error()))")
        }
        (self.net, self.file) = (net, file)
    }

    deinit { cv_dnn_free(net) }

    /// The first output for float32 `values` of `shape` (e.g. N×3×H×W), row-major, with its shape.
    public func forward(_ values: [Float], shape: [Int]) throws -> (values: [Float], shape: [Int]) {
        guard !shape.isEmpty, shape.count <= 8, shape.allSatisfy({ $0 > 0 && $0 <= Int(Int32.max) }),
              shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? .max : $0 * $1 }) == values.count else {
            throw VisionError("OpenCV DNN forward of \(file.lastPathComponent): \(values.count) values do not fill shape \(shape)")
        }
        let shape32 = shape.map(Int32.init)
        var out = CVFloats()
        let status = values.withUnsafeBufferPointer { v in shape32.withUnsafeBufferPointer { s in cv_dnn_forward(net, v.baseAddress, s.baseAddress, Int32(s.count), &out) } }
        guard status == 0 else { throw TorchError("OpenCV DNN forward of \(file.lastPathComponent): \(String(cString: cv_last_error()))", category: .badInput) }
        defer { cv_floats_free(&out) }
        let shape8 = withUnsafeBytes(of: out.shape) { Array($0.bindMemory(to: Int32.self)) }
        let dims = shape8[..<Int(out.dims)].map { Int($0) }
        return (Array(UnsafeBufferPointer(start: out.data, count: out.count)), dims)
    }

    /// The first output for a float32 input (e.g. N×3×H×W), as a CPU tensor.
    public func forward(_ input: Tensor) throws -> Tensor {
        let values = try input.to(.cpu, dtype: .float32).contiguous().floats()
        let output = try forward(values, shape: input.shape)
        return try Tensor(output.values, shape: output.shape)
    }
}
