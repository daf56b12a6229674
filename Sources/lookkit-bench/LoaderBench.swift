import Datasets
import Foundation

/// Images/s through decode + augment + collate, LookKit's loader against a PIL + torch DataLoader
/// pipeline doing the same work (Tests/bench/loader_bench.py) on the same files, with 1 and 2 workers:
/// classification at 224² (random-resized-crop, flip) and detection at 416² (letterbox or mosaic, HSV, flip).
func loaderBenchRows() throws -> [BenchRow] {
    let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let data = root.deletingLastPathComponent().appendingPathComponent("shared/data")
    guard FileManager.default.fileExists(atPath: data.path) else {
        FileHandle.standardError.write(Foundation.Data("loader bench skipped: \(data.path) is absent\n".utf8))
        return []
    }
    let (classifyImages, detectImages, repeats) = (320, 160, 3)
    let photos = try ImageFolderReader.read(data.appendingPathComponent("clothing-dataset-small/train")).records
    let classify = try ClassificationSet(Array(photos.prefix(classifyImages)), size: 224, augment: true)
    let boxes = try YOLOReader.read(data.appendingPathComponent("colorful-fashion-detection-train")).allSamples
    var detect = DetectionSet(Array(boxes.prefix(detectImages)), size: 416, augment: true)
    detect.augmentation?.mosaic = 0.5

    var rows: [BenchRow] = []
    for workers in [1, 2] {
        let options = LoaderOptions(batchSize: 16, seed: 0, workers: workers)
        let lookkitClassify = try imagesPerSecond(DataLoader(classify, options: options, collate: ClassificationBatch.collate), repeats: repeats)
        let pythonClassify = Double(try runPythonBench("loader_bench.py", ["classify", data.path, "\(workers)", "\(classifyImages)", "\(repeats)"])) ?? .nan
        rows.append(BenchRow(work: "loader: decode + random-resized-crop 224² + flip + collate, \(workers) worker\(workers > 1 ? "s" : "")",
                             lookkit: lookkitClassify, python: pythonClassify, unit: "img/s", higherIsBetter: true))
        let lookkitDetect = try imagesPerSecond(DataLoader(detect, options: options, collate: DetectionBatch.collate), repeats: repeats)
        let pythonDetect = Double(try runPythonBench("loader_bench.py", ["detect", data.path, "\(workers)", "\(detectImages)", "\(repeats)"])) ?? .nan
        rows.append(BenchRow(work: "loader: letterbox/mosaic 416² + HSV + flip + collate (LookKit also warps: ultralytics' mosaic at 832² + random affine), \(workers) worker\(workers > 1 ? "s" : "")",
                             lookkit: lookkitDetect, python: pythonDetect, unit: "img/s", higherIsBetter: true))
    }
    return rows
}

/// Median images/s over `repeats` epochs after one warm-up epoch; a failed sample aborts the bench.
private func imagesPerSecond<D: Dataset, Batch>(_ loader: DataLoader<D, Batch>, repeats: Int) throws -> Double {
    var rates: [Double] = []
    for epoch in 0...repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let batches = loader.epoch(epoch)
        let images = batches.map(\.indices.count).reduce(0, +)
        if let failure = batches.failures.first { throw BenchError("loader bench: \(failure)") }
        if epoch > 0 { rates.append(Double(images) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
    }
    return median(rates)
}
