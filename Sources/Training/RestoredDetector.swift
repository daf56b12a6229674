import Datasets
import Detection
import Foundation
import LookKitCore
import Torch

/// A detector to run: trained weights from `lookkit train detector` (a best.safetensors whose metadata
/// holds the run config and class names), or a plain ultralytics state dict (`dict(model.state_dict())`
/// saved as .pt, or converted to .safetensors) of a YOLOv5 size with `classes` classes.
public struct RestoredDetector {
    public let model: YOLOv5
    public let names: [String]
    /// The run config of trained weights (nil for a plain state dict): image size, validation carving.
    public let config: RunConfig?

    public init(checkpoint: URL) throws {
        let restored = try RestoredModel(checkpoint: checkpoint, for: .detection)
        guard let model = restored.network.module as? YOLOv5 else {
            throw MalformedFile(file: checkpoint.path, reason: "does not hold a YOLOv5 detector")
        }
        (self.model, names, config) = (model, restored.classes, restored.config)
    }

    public init(weights: URL, model name: String, classes: Int, names: [String]? = nil) throws {
        if let names, names.count != classes {
            throw ConfigError("\(names.count) class names for \(classes) classes")
        }
        model = try YOLOv5(try YOLOv5Spec.named(name), classes: classes)
        try model.load(from: weights)
        model.eval()
        (self.names, config) = (names ?? (0..<classes).map(String.init), nil)
    }

    /// The image size to run at: the one asked for, else the one trained at, else ultralytics' 640.
    public func imageSize(_ requested: Int?) -> Int { requested ?? config?.data.imageSize ?? 640 }

    /// The images `lookkit val` scores in `data` (a data.yaml or a YOLO folder): `split` as
    /// `DetectionDataset.split` names it (`val` is carved as training carved it), else the data's
    /// `val` split when it has one, else every image. Label problems are returned, not thrown.
    public func samples(data: URL, split: String?) throws -> (split: String, samples: [DetectionSample], issues: [DataIssue]) {
        try Self.samples(data: data, split: split, names: names, config: config)
    }

    /// As above for a detector of `names` trained by `config`; without one (an ONNX export carries no
    /// run config) `val` is carved with the defaults a run has: fraction 0.1, seed 0.
    public static func samples(data: URL, split: String?, names: [String], config: RunConfig?) throws
        -> (split: String, samples: [DetectionSample], issues: [DataIssue]) {
        let dataset = try YOLOReader.read(data)
        if dataset.names.count != names.count {
            throw MalformedFile(file: data.path, reason: "has \(dataset.names.count) classes; the detector was trained on \(names.count) (\(names.joined(separator: ", ")))")
        }
        let name = split ?? (dataset.samples("val").isEmpty ? "all" : "val")
        let fraction = config?.detector.validationFraction ?? RunConfig.DetectorConfig().validationFraction
        return (name, try dataset.split(name, validationFraction: fraction, seed: config?.seed ?? 0), dataset.issues)
    }
}
