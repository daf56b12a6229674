import Datasets
import Foundation
import LookKitCore
import ModelEvaluation
import Torch

/// An exported .onnx file served by OpenCV DNN (`--runtime onnx`): its metadata say how to
/// preprocess and what comes out, so nothing of the training run is needed.
public struct ExportedModel {
    public let net: OpenCVNet
    public let input: InputPreprocessing
    public let outputs: [ExportedOutput]
    public let task: String
    public let classes: [String]

    public init(contentsOf file: URL) throws {
        let metadata = try ONNXModelFile.metadata(of: file)
        func field<T: Decodable>(_ key: String, as type: T.Type) throws -> T {
            guard let text = metadata[key] else { throw MalformedFile(file: file.path, reason: "no '\(key)' in its metadata_props (not a LookKit export?)") }
            do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                throw MalformedFile(file: file.path, reason: "metadata '\(key)' is not what LookKit writes (\(error))")
            }
        }
        input = try field("lookkit.input", as: InputPreprocessing.self)
        outputs = try field("lookkit.output", as: [ExportedOutput].self)
        classes = try field("names", as: [String].self)
        guard let task = metadata["lookkit.task"] else { throw MalformedFile(file: file.path, reason: "no 'lookkit.task' in its metadata_props") }
        guard input.size.count == 2, input.size[0] == input.size[1] else {
            throw MalformedFile(file: file.path, reason: "input size \(input.size): LookKit serves square inputs")
        }
        self.task = task
        net = try OpenCVNet(contentsOf: file)
    }

    /// Image side the photos are resized to.
    public var size: Int { input.size[0] }

    /// The file as a network LookKit's evaluation and embedding code can run: photos are fitted and
    /// normalised as the metadata say (what LookKit's own preprocessing does), then OpenCV DNN runs one
    /// image at a time.
    public var network: TaskNetwork {
        get throws {
            guard let resize = ResizeRule(rawValue: input.resize) else {
                throw MalformedFile(file: net.file.path, reason: "a '\(task)' export (\(input.resize) input) is not a photo embedder or classifier")
            }
            return TaskNetwork(module: Identity(), normalization: (input.mean, input.std), resize: resize, output: forward)
        }
    }

    /// A batch through OpenCV DNN, one image at a time (a file may have a fixed batch of 1).
    public func forward(_ batch: Tensor) throws -> Tensor {
        try Tensor.cat((0..<batch.shape[0]).map { try net.forward(batch.slice(0, $0, $0 + 1)) })
    }
}
