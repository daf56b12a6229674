import Datasets
import Detection
import Evaluation
import Experiments
import Foundation
import LookKitCore
import TestSupport
import Torch
@testable import Training
import XCTest

/// A YOLOv5n trained a few steps on 40 street photos through the shared job, then run the ways a
/// user runs it: restored from best.safetensors, validated, and written out by `detect`.
final class DetectorTrainingTests: XCTestCase {
    override func setUp() { Torch.threads = 2 }

    func testTrainRestoreValidateAndDetectAgree() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-detector-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        let data = try SharedData.detectionSubset(40, in: work)
        var config = RunConfig(name: "tiny", task: .detector, model: .init(architecture: .yolov5n), data: .init(root: data.path), steps: 16)
        (config.batchSize, config.data.imageSize, config.data.workers, config.checkpointEvery, config.validateEvery) = (4, 96, 1, 0, 1)
        config.detector.validationFraction = 0.25
        config.project = work.appendingPathComponent("runs").path
        var job = TrainingJob(config: config)
        job.database = work.appendingPathComponent("runs.db").path
        let outcome = try job.run()

        // Validation at each epoch end (steps 8 and 16), with val.py's numbers in results.csv.
        let rows = try String(contentsOf: outcome.folder.results, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "epoch,step,train_loss,lr,fitness,mAP50,mAP50_95,precision,recall")
        XCTAssertEqual(rows.dropFirst().map { $0.split(separator: ",")[1] }, ["8", "16"], "\(rows)")
        let log = try RunLog(path: job.database, create: false)
        XCTAssertEqual(try log.record(outcome.runID).status, .finished)

        // The report shows per-class PR curves, the confusion matrix and photos with their detections drawn.
        let report = try String(contentsOf: outcome.folder.report, encoding: .utf8)
        for piece in ["PR@0.5", "confusion matrix", "true \\ predicted", #"<img class="picture" src="detections/"#] {
            XCTAssertTrue(report.contains(piece), "report lacks \(piece)")
        }
        let drawn = try FileManager.default.contentsOfDirectory(atPath: outcome.folder.url.appendingPathComponent("detections").path)
        XCTAssertFalse(drawn.isEmpty)

        // Restored, the carved validation split is the one training validated on, and scores as `best` did.
        let restored = try RestoredDetector(checkpoint: outcome.folder.best)
        XCTAssertEqual(restored.names.count, 10)
        let (split, samples, _) = try restored.samples(data: data, split: "val")
        XCTAssertEqual(split, "val")
        let carved = try YOLOReader.read(data).trainingSplits(validationFraction: 0.25).validation
        XCTAssertEqual(samples.map(\.id), carved.map(\.id))
        XCTAssertFalse(samples.isEmpty)
        let predictor = YOLOPredictor(model: restored.model, size: restored.imageSize(nil), nms: .validation)
        XCTAssertEqual(predictor.size, 96)
        let (metrics, confusion) = try predictor.evaluate(samples, classes: 10, batchSize: 3, workers: 1)
        // Every label is matched or missed exactly once: each true class's row sums to its label count.
        for c in 0..<10 {
            XCTAssertEqual(confusion.counts[c].reduce(0, +), samples.flatMap(\.boxes).filter { $0.classID == c }.count, "class \(c)")
        }
        let best = try SafeTensors.metadata(outcome.folder.best)
        let fitness = 0.1 * metrics.mAP50 + 0.9 * metrics.mAP50to95
        XCTAssertEqual(fitness, try XCTUnwrap(best["score"].flatMap(Double.init)), accuracy: 1e-9)

        // The run lists its validation images for `detect --source <run>/val.txt`.
        XCTAssertEqual(try imageFiles(at: outcome.folder.url.appendingPathComponent("val.txt")), samples.map(\.image))

        // `detect --save-txt` writes what val scored: the same boxes (to the txt's 6 decimals) and the same mAP.
        let out = work.appendingPathComponent("detect")
        var writer = try DetectionWriter(folder: out, names: restored.names)
        (writer.saveText, writer.saveCrops) = (true, true)
        var seen: [String: (Int, Int, [ScoredBox])] = [:]
        try predictor.run(samples.map(\.image), batchSize: 5, workers: 1) { index, photo, detections in
            try writer.write(photo, stem: samples[index].id, detections: detections)
            seen[samples[index].id] = (photo.width, photo.height, detections)
        }
        let labels = work.appendingPathComponent("val-labels")
        try FileManager.default.createDirectory(at: labels, withIntermediateDirectories: true)
        for sample in samples { try FileManager.default.copyItem(at: sample.labelFile, to: labels.appendingPathComponent("\(sample.id).txt")) }
        let fromFiles = try YOLOFiles.evaluate(labels: labels, predictions: out.appendingPathComponent("labels"))
        XCTAssertEqual(fromFiles.mAP50, metrics.mAP50, accuracy: 1e-3)
        XCTAssertEqual(fromFiles.mAP50to95, metrics.mAP50to95, accuracy: 1e-3)
        for (id, (width, height, detections)) in seen {
            let written = try YOLOFiles.readPredictions(out.appendingPathComponent("labels/\(id).txt"))
            XCTAssertEqual(written.count, detections.count)
            for (w, d) in zip(written, detections) {
                let box = w.box.inPixels(imageWidth: width, imageHeight: height)
                XCTAssertEqual(w.classID, d.classID)
                XCTAssertEqual(w.confidence, d.confidence, accuracy: 1e-6)
                for (u, v) in zip([box.x1, box.y1, box.x2, box.y2], [d.box.x1, d.box.y1, d.box.x2, d.box.y2]) { XCTAssertEqual(u, v, accuracy: 1e-3) }
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(id).jpg").path))
        }
        let crops = try FileManager.default.subpathsOfDirectory(atPath: out.appendingPathComponent("crops").path).filter { $0.hasSuffix(".jpg") }
        XCTAssertEqual(crops.count, seen.values.reduce(0) { $0 + $1.2.count })
    }

    /// The detector's own optimizer: YOLOv5's three groups with the batch-scaled decay, and its schedule.
    func testOptimizationIsYOLOv5s() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-detector-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        var config = RunConfig(name: "o", task: .detector, model: .init(architecture: .yolov5n), data: .init(root: try SharedData.detectionSubset(20, in: work).path), steps: 10)
        (config.batchSize, config.data.imageSize, config.detector.autoanchor) = (8, 64, false)
        let task = try DetectorTask(config: config, device: .cpu)
        let (optimizer, schedule) = try task.optimization(config)
        XCTAssertEqual(optimizer.groups.map(\.name), ["weights", "norm_weights", "biases"])
        XCTAssertEqual(optimizer.groups[0].weightDecay ?? -1, 5e-4 * 8 / 64, accuracy: 1e-15)
        XCTAssertTrue((optimizer as? SGD)?.nesterov ?? false)
        XCTAssertEqual((schedule as? YOLOv5Schedule)?.batchesPerEpoch, 2)
        XCTAssertEqual((schedule as? YOLOv5Schedule)?.epochs, 5)
    }
}
