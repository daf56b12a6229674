import Datasets
import Experiments
import Foundation
import LookKitCore
import Torch

/// How a runtime must turn a photo into the model's input, written as `lookkit.input` so that any
/// runtime preprocesses as LookKit does without LookKit.
public struct InputPreprocessing: Codable, Equatable, Sendable {
    public var size: [Int]
    public var layout = "NCHW"
    public var color = "RGB"
    /// Pixel values are multiplied by this first (0–255 → 0–1), then (x − mean) / std per channel.
    public var scale: Double = 1.0 / 255
    public var mean: [Float], std: [Float]
    /// `stretch` (resize to size, aspect not kept), `center-crop` (short side to size, then the centred
    /// square, offsets ⌊(side − size)/2⌋) or `letterbox` (fit, centred, padded with pad_value).
    public var resize: String
    /// OpenCV's interpolation: `area` (INTER_AREA; LookKit shrinks photos so, and enlarges small ones
    /// bilinearly) or `linear` (INTER_LINEAR; the detector's letterbox, as ultralytics resizes).
    public var interpolation: String
    public var padValue: Int?

    enum CodingKeys: String, CodingKey { case size, layout, color, scale, mean, std, resize, interpolation, padValue = "pad_value" }

    public init(size: [Int], mean: [Float], std: [Float], resize: String, interpolation: String = "area", padValue: Int? = nil) {
        (self.size, self.mean, self.std, self.resize, self.interpolation, self.padValue) = (size, mean, std, resize, interpolation, padValue)
    }
}

/// One output of an exported model: its name in the file, shape (−1: batch) and what it holds.
public struct ExportedOutput: Codable, Equatable, Sendable {
    public let name: String
    public let shape: [Int]
    public let meaning: String
    public init(name: String, shape: [Int], meaning: String) { (self.name, self.shape, self.meaning) = (name, shape, meaning) }
}

/// What to export and how (`lookkit export`): the module, its input and outputs, and the metadata.
public struct ModelExport {
    public let module: any ONNXExportable & UnaryLayer
    public let input: InputPreprocessing
    public let output: ExportedOutput
    public let task: String
    public let classes: [String]
    public var opset = 17
    public var dynamicBatch = false
    /// Fold each batch norm into the convolution before it (`--simplify-bn`).
    public var foldBatchNorms = false
    /// The checkpoint the weights came from (its SHA-256 goes into the file).
    public var source: URL?

    public init(module: any ONNXExportable & UnaryLayer, input: InputPreprocessing, output: ExportedOutput, task: String, classes: [String] = []) {
        (self.module, self.input, self.output, self.task, self.classes) = (module, input, output, task, classes)
    }

    /// The ONNX file's bytes; the module is exported in eval mode.
    public func encode() throws -> Data {
        guard (13...17).contains(opset) else { throw ConfigError("--opset \(opset): LookKit writes opsets 13 to 17") }
        module.eval()
        var graph = ONNXGraph(inputShape: [1, 3, input.size[0], input.size[1]])
        let result = try module.exportONNX("images", path: "", to: &graph)
        if foldBatchNorms { try graph.foldBatchNorms() }
        return try ONNXModelFile.encode(graph, input: "images", outputs: [(result, output.name, output.shape)], opset: opset,
                                        dynamicBatch: dynamicBatch, metadata: try metadata())
    }

    public func metadata() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        var values = ["lookkit.input": try json(input), "lookkit.output": try json([output]), "lookkit.task": task,
                      "lookkit.version": LookKitVersion.string, "names": try json(classes)]
        if let source { values["lookkit.checkpoint_sha256"] = try FileDigest.sha256Hex(ofFile: source) }
        return values
    }

    /// Writes the file, then reloads it through OpenCV DNN and compares its output with LookKit's on
    /// each image of `probe` (N×3×H×W; OpenCV DNN runs one image at a time): a difference above
    /// `tolerance` (max |a − b| / max(1, max |a|)) is an error. Returns the largest difference.
    @discardableResult
    public func write(to url: URL, probe: Tensor, tolerance: Float = 1e-4) throws -> Float {
        try encode().write(to: url)
        let net = try OpenCVNet(contentsOf: url)
        var worst: Float = 0
        for i in 0..<probe.shape[0] {
            let image = try probe.slice(0, i, i + 1)
            let expected = try withoutGrad { try module(image) }.to(.cpu, dtype: .float32)
            let got = try net.forward(image)
            guard got.shape.reduce(1, *) == expected.shape.reduce(1, *) else {
                throw TorchError("ONNX check: OpenCV DNN gives shape \(got.shape), LookKit \(expected.shape)", category: .invalidValue)
            }
            let (a, b) = (try expected.floats(), try got.floats())
            worst = max(worst, (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / max(1, a.map(abs).max() ?? 0))
        }
        guard worst <= tolerance else {
            throw TorchError(String(format: "ONNX check: OpenCV DNN's output differs from LookKit's by %.3g (tolerance %.1g) in %@",
                                    worst, tolerance, url.path), category: .invalidValue)
        }
        return worst
    }
}
