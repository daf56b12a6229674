import CVision
import Foundation
import LookKitCore
import Torch

/// An ONNX file loaded by OpenCV DNN: the serving path that needs OpenCV and the file, not libtorch.
public final class OpenCVNet {
    private let net: OpaquePointer
    public let file: URL

    public init(contentsOf file: URL) throws {
        guard FileManager.default.fileExists(atPath: file.path) else { throw NotFoundError("\(file.path): no such ONNX file") }
        var net: OpaquePointer?
        guard cv_dnn_read_onnx(file.path, &net) == 0, let net else {
            throw MalformedFile(file: file.path, reason: "OpenCV DNN cannot read it: \(String(cString: cv_last_error()))")
        }
        (self.net, self.file) = (net, file)
    }

    deinit { cv_dnn_free(net) }

    /// The first output for a float32 input (e.g. N×3×H×W), as a CPU tensor.
    public func forward(_ input: Tensor) throws -> Tensor {
        let values = try input.to(.cpu, dtype: .float32).contiguous().floats()
        let shape = input.shape.map(Int32.init)
        var out = CVFloats()
        let status = values.withUnsafeBufferPointer { v in shape.withUnsafeBufferPointer { s in cv_dnn_forward(net, v.baseAddress, s.baseAddress, Int32(s.count), &out) } }
        guard status == 0 else { throw TorchError("OpenCV DNN forward of \(file.lastPathComponent): \(String(cString: cv_last_error()))", category: .badInput) }
        defer { cv_floats_free(&out) }
        let shape8 = withUnsafeBytes(of: out.shape) { Array($0.bindMemory(to: Int32.self)) }
        let dims = shape8[..<Int(out.dims)].map { Int($0) }
        return try Tensor(Array(UnsafeBufferPointer(start: out.data, count: out.count)), shape: dims)
    }
}
