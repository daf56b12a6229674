import ArgumentParser
import Datasets
import Detection
import Foundation
import LookKitCore
import ModelEvaluation
import ONNXExport
import Torch
import Training

/// Which detector: `--checkpoint best.safetensors` from `lookkit train detector`, or a plain
/// ultralytics state dict `--weights FILE --model yolov5s --classes N`.
struct DetectorOptions: ParsableArguments {
    @Option(help: "A best.safetensors written by `lookkit train detector`.") var checkpoint: String?
    @Option(help: "A plain ultralytics state dict (.pt from torch.save(dict(model.state_dict())), or .safetensors).") var weights: String?
    @Option(help: "The YOLOv5 size of --weights: yolov5n, yolov5s, yolov5m, yolov5l or yolov5x.") var model = "yolov5s"
    @Option(help: "Class count of --weights.") var classes: Int?
    @Option(help: "Class names of --weights, one per line (classes.txt).") var names: String?
    @Option(help: "Inference size in pixels (default: the size the checkpoint was trained at; 640 for --weights).") var img: Int?
    @Option(help: "Images per forward pass.") var batch = 16
    @Option(help: "Threads decoding images.") var workers = 2
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "libtorch, or onnx: --checkpoint names a detector file of `lookkit export`, run by OpenCV DNN.") var runtime: Runtime = .libtorch

    func validate() throws {
        guard (checkpoint == nil) != (weights == nil) else { throw ValidationError("give one of --checkpoint FILE or --weights FILE") }
        if runtime == .onnx, checkpoint == nil { throw ValidationError("--runtime onnx needs --checkpoint FILE.onnx") }
        if weights != nil, classes == nil { throw ValidationError("--weights needs --classes N") }
        if let img, img < 32 || img % 32 != 0 { throw ValidationError("--img must be a positive multiple of 32 (the largest stride), got \(img)") }
        guard batch > 0, workers >= 0 else { throw ValidationError("--batch must be positive and --workers 0 or more") }
    }

    func restore() throws -> RestoredDetector {
        if let checkpoint { return try RestoredDetector(checkpoint: URL(fileURLWithPath: checkpoint)) }
        let names = try self.names.map { try DetectionResults.readNames(URL(fileURLWithPath: $0)) }
        return try RestoredDetector(weights: URL(fileURLWithPath: weights ?? ""), model: model, classes: classes ?? 0, names: names)
    }

    /// The class names and the predictor: LookKit's YOLOv5, or the exported file through OpenCV DNN
    /// (letterboxed at the size its metadata name).
    func prepare(nms: NonMaxSuppression) throws -> (names: [String], predictor: YOLOPredictor) {
        guard runtime == .onnx, let checkpoint else {
            let restored = try restore()
            return (restored.names, try predictor(restored, nms: nms))
        }
        let exported = try ExportedModel(contentsOf: URL(fileURLWithPath: checkpoint))
        guard exported.task == "detector" else { throw ValidationError("\(checkpoint) is a '\(exported.task)' export, not a detector") }
        if let img, img != exported.size { throw ValidationError("\(checkpoint) was exported for \(exported.size)², not --img \(img)") }
        return (exported.classes, YOLOPredictor(forward: exported.forward, size: exported.size, nms: nms))
    }

    func predictor(_ detector: RestoredDetector, nms: NonMaxSuppression) throws -> YOLOPredictor {
        let device = try Device.usable(device)
        try detector.model.move(to: device)
        return YOLOPredictor(model: detector.model, size: detector.imageSize(img), nms: nms, device: device)
    }
}

/// `lookkit val detector`: yolov5 val.py's numbers for a detector on labelled images.
struct ValCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "val", abstract: "Validate a trained model on labelled data (as ultralytics' val.py).",
        discussion: ErrorCategory.exitCodeTable, subcommands: [Detector.self])

    struct Detector: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "P, R, mAP@.5 and mAP@.5:.95 per class (NMS conf 0.001, IoU 0.6, up to 300 boxes, every class above conf).",
            discussion: """
                --data is an ultralytics data.yaml or a folder with images/, labels/ and classes.txt. Without \
                --split: the data's val split, else every image. --split val on data without one is the share \
                training carved out (same seed and fraction as the checkpoint's run).
                """)
        @OptionGroup var detector: DetectorOptions
        @Option(help: "data.yaml or a YOLO folder (images/, labels/, classes.txt).") var data: String
        @Option(help: "train, val, test or all.") var split: String?
        @Option(help: "NMS confidence threshold.") var conf = 0.001
        @Option(help: "NMS IoU threshold.") var iou = 0.6
        @Flag(help: "JSON output (keys mAP50, mAP50_95, precision, recall, classes…).") var json = false

        func run() throws {
            var nms = NonMaxSuppression.validation
            (nms.confidence, nms.iou) = (conf, iou)
            let (names, predictor, config): ([String], YOLOPredictor, RunConfig?)
            if detector.runtime == .onnx {
                (names, predictor) = try detector.prepare(nms: nms)
                config = nil
            } else {
                let restored = try detector.restore()
                (names, predictor, config) = (restored.names, try detector.predictor(restored, nms: nms), restored.config)
            }
            let (split, samples, issues) = try RestoredDetector.samples(data: URL(fileURLWithPath: data), split: split, names: names, config: config)
            if !issues.isEmpty { FileHandle.standardError.write(Data("warning: \(counted(issues.count, "label problem")) skipped, e.g. \(issues[0])\n".utf8)) }
            let progress = SharedProgress(label: "val \(split)")
            let (metrics, _) = try predictor.evaluate(samples, classes: names.count, batchSize: detector.batch, workers: detector.workers,
                                                 progress: { progress.update($0, samples.count) },
                                                 onUnreadable: { FileHandle.standardError.write(Data("skipped \($0.name): \($0.error)\n".utf8)) })
            let results = DetectionResults(metrics, names: names)
            print(json ? try jsonString(results.report) : results.table.markdown)
        }
    }
}

/// `lookkit detect`: boxes on new photos, as ultralytics' detect.py writes them.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect", abstract: "Detect garments in photos: drawn copies, YOLO txt with confidences, crops per class.",
        discussion: """
            Writes <out>/<stem>.jpg with the boxes drawn; --save-txt adds <out>/labels/<stem>.txt \
            (class cx cy w h conf, normalised: `lookkit eval detections --predictions <out>/labels` scores them); \
            --save-crops adds <out>/crops/<class>/<stem>_<n>.jpg. \(ErrorCategory.exitCodeTable)
            """)
    @OptionGroup var detector: DetectorOptions
    @Option(help: "An image, a folder of images, or an image list (.txt, one path per line; a run folder's val.txt).") var source: String
    @Option(help: "Output folder.") var out: String
    @Option(help: "NMS confidence threshold.") var conf = 0.25
    @Option(help: "NMS IoU threshold.") var iou = 0.45
    @Option(help: "At most this many boxes per image.") var maxDet = 300
    @Flag(help: "Keep every class above --conf per box (as val does), not only the best one.") var multiLabel = false
    @Flag(help: "Write YOLO txt predictions.") var saveTxt = false
    @Flag(help: "Write one crop per detection, by class.") var saveCrops = false

    func run() throws {
        var nms = NonMaxSuppression()
        (nms.confidence, nms.iou, nms.maxDetections, nms.multiLabel) = (conf, iou, maxDet, multiLabel)
        let (names, predictor) = try detector.prepare(nms: nms)
        let images = try imageFiles(at: URL(fileURLWithPath: source))
        var writer = try DetectionWriter(folder: URL(fileURLWithPath: out), names: names)
        (writer.saveText, writer.saveCrops) = (saveTxt, saveCrops)
        let progress = SharedProgress(label: "detect")
        var boxes = 0, skipped = 0
        try predictor.run(images, batchSize: detector.batch, workers: detector.workers, progress: { progress.update($0, images.count) },
                          onUnreadable: { skipped += 1; FileHandle.standardError.write(Data("skipped \($0.name): \($0.error)\n".utf8)) }) { index, photo, detections in
            try writer.write(photo, stem: images[index].deletingPathExtension().lastPathComponent, detections: detections)
            boxes += detections.count
        }
        print("\(counted(boxes, "detection")) in \(counted(images.count - skipped, "image")) → \(out)"
              + (skipped > 0 ? " (\(skipped) unreadable, named above)" : ""))
    }
}
