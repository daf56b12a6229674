import Datasets
import Detection
import Foundation
import LookKitCore
import Models
import ONNXExport
import Torch

/// The serving table of `make bench`: the same exported models (the similarity embedder at 224², a
/// yolov5n detector at 640²) run by LookKit (libtorch), by OpenCV DNN (what `--runtime onnx` uses)
/// and by onnxruntime in Python. One-image latency and batch throughput; OpenCV DNN runs a batch one
/// image at a time, as `--runtime onnx` does. Not ratios: three runtimes side by side.
func servingTable(threads: Int) throws -> MarkdownTable {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-serving-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    Torch.manualSeed(0)
    let embedder = try TripletEmbedder(backbone: EfficientNetLite0(classes: nil), embeddingDimension: 128, backboneShare: 0.5)
    let detector = try YOLOv5(try YOLOv5Spec.named("yolov5n"), classes: 10)
    let models: [(name: String, module: any ONNXExportable & UnaryLayer, size: Int, batch: Int)] = [
        ("embedder (EfficientNet-Lite0 + head), 224²", embedder, 224, 16), ("detector (yolov5n, 10 classes), 640²", detector, 640, 8),
    ]
    var rows: [[String]] = []
    for model in models {
        model.module.eval()
        var export = ModelExport(module: model.module, input: InputPreprocessing(size: [model.size, model.size], mean: [0, 0, 0], std: [1, 1, 1], resize: "stretch"),
                                 output: ExportedOutput(name: "output", shape: [-1, -1], meaning: "bench"), task: "bench")
        export.dynamicBatch = true
        let file = directory.appendingPathComponent("model.onnx")
        let (one, many) = (try Tensor.rand([1, 3, model.size, model.size]) * 2 - 1, try Tensor.rand([model.batch, 3, model.size, model.size]) * 2 - 1)
        try export.write(to: file, probe: one)
        let net = try OpenCVNet(contentsOf: file)
        let repeats = model.size > 300 ? 5 : 10
        let libtorch = try withoutGrad { (try latency(repeats) { _ = try model.module(one) }, try latency(repeats) { _ = try model.module(many) }) }
        let opencv = (try latency(repeats) { _ = try net.forward(one) },
                      try latency(max(2, repeats / 3)) { for i in 0..<model.batch { _ = try net.forward(many.slice(0, i, i + 1)) } })
        let python = try runPythonBench("onnx_bench.py", [file.path] + [threads, model.size, model.batch, repeats].map(String.init))
            .split(separator: " ").compactMap { Double($0) }
        guard python.count == 2 else { throw BenchError("onnx_bench.py printed \(python.count) numbers, expected 2") }
        let ms = { (s: Double) in String(format: "%.1f ms", s * 1000) }, rate = { (s: Double) in String(format: "%.1f img/s", Double(model.batch) / s) }
        rows.append(["\(model.name), one image", ms(libtorch.0), ms(opencv.0), ms(python[0])])
        rows.append(["\(model.name), batch \(model.batch)", rate(libtorch.1), rate(opencv.1), String(format: "%.1f img/s", python[1])])
    }
    return MarkdownTable(headers: ["serving work", "LookKit (libtorch)", "OpenCV DNN (--runtime onnx)", "onnxruntime (Python)"], rows: rows)
}

/// Median seconds of `body` over `repeats` runs, after one warm-up run.
private func latency(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
    try body()
    return median(try (0..<repeats).map { _ in try seconds(body) })
}
