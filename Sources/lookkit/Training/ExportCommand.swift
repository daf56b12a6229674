import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import ONNXExport
import StyleEmbedding
import Torch
import Training

/// `lookkit export`: an ONNX file for serving, checked through OpenCV DNN before it is kept.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a trained model (or a backbone's features) as ONNX, checked in OpenCV DNN.",
        discussion: """
            The graph is built from the Swift module tree (weights as initializers); the file's metadata_props say how \
            to preprocess (lookkit.input), what each output holds (lookkit.output), the class names (names), the task, \
            LookKit's version and the checkpoint's SHA-256. After writing, the file is run through OpenCV DNN on real \
            pixels (--probe, else a seeded random image) and compared with LookKit's own output; a difference above \
            1e-4 is an error and the file is removed.
            """)
    @Option(help: "A best.safetensors of `lookkit train` (embedder or gender task).") var checkpoint: String?
    @Option(help: "Export this backbone's unit-length pooled features instead (\(Architecture.allowed)).") var backbone: Architecture?
    @Option(help: "Weights for --backbone, or a YOLOv5 state dict (ultralytics names, .pt or .safetensors) with --model and --classes.")
    var weights: String?
    @Option(help: "YOLOv5 size of --weights (yolov5n, yolov5s, …).") var model: String?
    @Option(help: "Classes of the --weights detector.") var classes: Int?
    @Option(help: "Only onnx.") var format = "onnx"
    @Option(help: "Where to write the .onnx file.") var out: String
    @Option(help: "ONNX opset (13-17).") var opset = 17
    @Option(help: "Input size (default: the run's; 224 for --backbone).") var img: Int?
    @Flag(help: "Make the batch dimension symbolic.") var dynamicBatch = false
    @Flag(help: "Fold every batch norm into the convolution before it (fewer nodes, same outputs).") var simplifyBn = false
    @Option(help: "An image to check the export on.") var probe: String?
    @Option(help: "A style checkpoint's side: scene or product (one file each; serving embeds products once, scenes per request).")
    var part: StyleRoleNetwork.Role?

    func validate() throws {
        let sources = [checkpoint != nil, backbone != nil, model != nil].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give one of --checkpoint FILE, --backbone NAME or --weights FILE --model yolov5n --classes N") }
        if model != nil, weights == nil || classes == nil { throw ValidationError("--model needs --weights FILE and --classes N") }
        if part != nil, checkpoint == nil { throw ValidationError("--part needs --checkpoint of a style embedder") }
        guard format == "onnx" else { throw ValidationError("--format: only onnx is supported") }
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--out \(out): folder \(folder.path) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else { throw ValidationError("--out \(out): folder \(folder.path) is not writable") }
    }

    func run() throws {
        var export: ModelExport
        if let checkpoint, let part {
            export = try ModelExport.style(URL(fileURLWithPath: checkpoint), part: part, size: img)
        } else if let checkpoint {
            export = try ModelExport.checkpoint(URL(fileURLWithPath: checkpoint), size: img)
        } else if let model, let weights, let classes {
            export = try ModelExport.detector(weights: URL(fileURLWithPath: weights), model: model, classes: classes, size: img)
        } else {
            export = try ModelExport.backbone(backbone!, weights: weights, size: img ?? 224)
        }
        (export.opset, export.dynamicBatch, export.foldBatchNorms) = (opset, dynamicBatch, simplifyBn)
        let (h, w) = (export.input.size[0], export.input.size[1])
        let image = try probe.map { try Image(contentsOf: URL(fileURLWithPath: $0)) } ?? Image(width: w, height: h, pixels: randomPixels(w * h * 3))
        let tensor = try imageBatchTensor([image.resized(width: w, height: h)], mean: export.input.mean, std: export.input.std)
        let url = URL(fileURLWithPath: out)
        do {
            let difference = try export.write(to: url, probe: tensor)
            print(String(format: "%@: %@ → %@ %@, opset %d; OpenCV DNN agrees with LookKit within %.1e", out, export.task, export.output.name,
                         "\(export.output.shape)", opset, difference))
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    private func randomPixels(_ count: Int) -> [UInt8] {
        var generator = SeededGenerator(seed: 0)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

extension StyleRoleNetwork.Role: ExpressibleByArgument {}
