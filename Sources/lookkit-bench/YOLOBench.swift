import Datasets
import Detection
import Foundation
import LookKitCore
import Torch

/// The detector's rows, against the `yolov5` package on the same machine (Tests/bench/yolo_bench.py):
/// a yolov5n training step at 416² (batch 16), detection throughput (letterbox + forward + NMS on
/// decoded street photos) and greedy NMS on 20,000 boxes.
func yoloBenchRows(threads: Int) throws -> [BenchRow] {
    var rows = [try trainStepRow(threads: threads, batch: 16, size: 416, repeats: 3), try nmsRow(threads: threads, count: 20_000, repeats: 5)]
    let data = URL(fileURLWithPath: "../shared/data/colorful-fashion-detection-train")
    if FileManager.default.fileExists(atPath: data.path) {
        rows.append(try detectRow(threads: threads, size: 416, data: data, count: 64))
    } else {
        FileHandle.standardError.write(Data("detect bench skipped: \(data.path) is absent\n".utf8))
    }
    return rows
}

private func yolov5n() throws -> YOLOv5 {
    Torch.manualSeed(0)
    let model = try YOLOv5(try YOLOv5Spec.named("yolov5n"), classes: 10)
    try model.detect.initializeBiases()
    return model
}

private func trainStepRow(threads: Int, batch: Int, size: Int, repeats: Int) throws -> BenchRow {
    let model = try yolov5n()
    model.train()
    let loss = YOLOv5Loss(model.detect, gains: YOLOHyperparameters().lossGains)
    let optimizer = try SGD(ParameterGroup.yoloStyle(model, weightDecay: 5e-4), learningRate: 0.01, momentum: 0.937, nesterov: true)
    // The rows yolo_bench.py builds: 4 boxes per image, placed by formula.
    let rows = (0..<batch).flatMap { i in (0..<4).flatMap { k -> [Float] in
        let k = Double(k)
        return [Float(i), Float((i + Int(k)) % 10), Float(0.2 + 0.15 * k), Float(0.3 + 0.1 * k), Float(0.1 + 0.05 * k), Float(0.2 + 0.05 * k)]
    } }
    let (x, targets) = (try Tensor.rand([batch, 3, size, size]), try Tensor(rows, shape: [rows.count / 6, 6]))
    func step() throws {
        optimizer.zeroGrad()
        try loss(model.rawOutputs(x), targets: targets).total.backward()
        try optimizer.step()
    }
    for _ in 0..<2 { try step() }
    let times = try (0..<repeats).map { _ in try seconds(step) }
    let python = Double(try runPythonBench("yolo_bench.py", ["train", "\(threads)", "\(batch)", "\(size)", "\(repeats)"])) ?? .nan
    return BenchRow(work: "yolov5n train step (forward, ComputeLoss, backward, SGD), batch \(batch), \(size)²", lookkit: median(times),
                    python: python, unit: "s", higherIsBetter: false)
}

private func detectRow(threads: Int, size: Int, data: URL, count: Int) throws -> BenchRow {
    let model = try yolov5n()
    model.eval()
    let names = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("images").path).sorted().prefix(count)
    let photos = try names.map { try Image(contentsOf: data.appendingPathComponent("images/\($0)")) }
    let predictor = YOLOPredictor(model: model, size: size, nms: NonMaxSuppression())
    func run() throws { for start in stride(from: 0, to: photos.count, by: 16) { _ = try predictor(Array(photos[start..<min(start + 16, photos.count)])) } }
    try run()
    let rate = Double(photos.count) / (try seconds(run))
    let python = Double(try runPythonBench("yolo_bench.py", ["detect", "\(threads)", "\(size)", data.path, "\(count)"])) ?? .nan
    return BenchRow(work: "yolov5n detect: letterbox \(size)² + forward + NMS, batches of 16 decoded photos", lookkit: rate, python: python,
                    unit: "img/s", higherIsBetter: true)
}

private func nmsRow(threads: Int, count: Int, repeats: Int) throws -> BenchRow {
    let boxes = (0..<count).map { i -> (Box, Double) in
        let (x, y) = (Double(i * 37 % 1000), Double(i * 91 % 1000)), (w, h) = (Double(20 + i * 13 % 80), Double(20 + i * 7 % 80))
        return (Box(x1: x, y1: y, x2: x + w, y2: y + h), Double((i * 7919) % count) / Double(count))
    }
    let times = (0..<repeats).map { _ in
        seconds {
            let sorted = boxes.sorted { $0.1 > $1.1 }.map(\.0)
            _ = NonMaxSuppression.greedy(sortedBoxes: sorted, threshold: 0.45)
        }
    }
    let python = Double(try runPythonBench("yolo_bench.py", ["nms", "\(threads)", "\(count)", "\(repeats)"])) ?? .nan
    return BenchRow(work: "greedy NMS, \(count) boxes, IoU 0.45", lookkit: median(times), python: python, unit: "s", higherIsBetter: false)
}
