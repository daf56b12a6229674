import Evaluation
import Foundation
import LookKitCore
import TestSupport
import XCTest

final class DetectionMetricsTests: XCTestCase {
    /// 60 images, 4 classes: jittered copies of labels (some with the wrong class), random false
    /// positives, images without prediction files and images without label files.
    func writeFixture(to root: URL, seed: UInt64) throws -> (labels: URL, predictions: URL) {
        var random = SeededRandom(seed: seed)
        let labels = root.appendingPathComponent("labels"), predictions = root.appendingPathComponent("predictions")
        for folder in [labels, predictions] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        func line(_ values: [Double]) -> String {
            "\(Int(values[0])) " + values.dropFirst().map { String(format: "%.6f", $0) }.joined(separator: " ")
        }
        for image in 0..<60 {
            var truth: [[Double]] = [], found: [[Double]] = []
            for _ in 0..<Int.random(in: 0...7, using: &random) {
                // Class 3 is rare, so its AP rests on few labels.
                let cls = Double(Int.random(in: 0...9, using: &random) == 0 ? 3 : Int.random(in: 0...2, using: &random))
                let box = [cls, .random(in: 0.2...0.8, using: &random), .random(in: 0.2...0.8, using: &random),
                           .random(in: 0.05...0.4, using: &random), .random(in: 0.05...0.4, using: &random)]
                truth.append(box)
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    var guess = box.enumerated().map { $0.offset == 0 ? $0.element : $0.element * .random(in: 0.96...1.04, using: &random) }
                    if Double.random(in: 0...1, using: &random) < 0.15 { guess[0] = Double(Int.random(in: 0...4, using: &random)) }
                    found.append(guess + [.random(in: 0.01...1, using: &random)])
                }
            }
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                found.append([Double(Int.random(in: 0...4, using: &random)), .random(in: 0.1...0.9, using: &random),
                              .random(in: 0.1...0.9, using: &random), .random(in: 0.05...0.5, using: &random),
                              .random(in: 0.05...0.5, using: &random), .random(in: 0.01...0.7, using: &random)])
            }
            let name = String(format: "img%03d.txt", image)
            if image % 17 != 5 {
                try truth.map(line).joined(separator: "\n").write(to: labels.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            if image % 11 != 3 {
                try found.map(line).joined(separator: "\n").write(to: predictions.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        return (labels, predictions)
    }

    struct Reference: Decodable {
        struct ClassResult: Decodable { let `class`: Int; let labels: Int; let precision, recall, ap50, ap: Double }
        let precision, recall, map50, map: Double
        let classes: [ClassResult]
    }

    func testMatchesYolov5ReferenceOnRandomFixtures() throws {
        _ = try ReferencePython.executable()
        for seed in [1, 2, 3] as [UInt64] {
            let root = try temporaryDirectory("yolo-fixture")
            defer { try? FileManager.default.removeItem(at: root) }
            let (labels, predictions) = try writeFixture(to: root, seed: seed)
            let reference = try JSONDecoder().decode(Reference.self, from: ReferencePython.run(script: "Tests/EvaluationTests/yolo_map_reference.py", [labels.path, predictions.path]))
            let metrics = try YOLOFiles.evaluate(labels: labels, predictions: predictions)

            XCTAssertEqual(metrics.imageCount, 60)
            XCTAssertEqual(metrics.perClass.map(\.classID), reference.classes.map(\.class), "seed \(seed)")
            XCTAssertEqual(metrics.perClass.map(\.labelCount), reference.classes.map(\.labels))
            XCTAssertEqual(metrics.mAP50, reference.map50, accuracy: 1e-4, "seed \(seed)")
            XCTAssertEqual(metrics.mAP50to95, reference.map, accuracy: 1e-4, "seed \(seed)")
            XCTAssertEqual(metrics.precision, reference.precision, accuracy: 1e-4, "seed \(seed)")
            XCTAssertEqual(metrics.recall, reference.recall, accuracy: 1e-4, "seed \(seed)")
            for (mine, theirs) in zip(metrics.perClass, reference.classes) {
                XCTAssertEqual(mine.ap50, theirs.ap50, accuracy: 1e-4, "class \(theirs.class) seed \(seed)")
                XCTAssertEqual(mine.ap50to95, theirs.ap, accuracy: 1e-4, "class \(theirs.class) seed \(seed)")
                XCTAssertEqual(mine.precision, theirs.precision, accuracy: 1e-4)
                XCTAssertEqual(mine.recall, theirs.recall, accuracy: 1e-4)
            }
            XCTAssert(metrics.mAP50 > 0.2 && metrics.mAP50 < 0.95, "fixture should be neither trivial nor hopeless: \(metrics.mAP50)")
            print("seed \(seed): mAP50 \(metrics.mAP50) ref \(reference.map50); mAP50-95 \(metrics.mAP50to95) ref \(reference.map); P \(metrics.precision) R \(metrics.recall)")
        }
    }

    /// One label, one exact prediction: AP is the 101-point integral of precision 1 up to recall 1,
    /// where the sentinel drops to 0 — yolov5 gives 0.995, not 1.
    func testPerfectSingleDetection() throws {
        var evaluator = DetectionEvaluator()
        let box = Box(x1: 10, y1: 10, x2: 50, y2: 80)
        try evaluator.add(labels: [LabeledBox(classID: 0, box: box)], predictions: [ScoredBox(classID: 0, box: box, confidence: 0.9)])
        let metrics = evaluator.evaluate()
        XCTAssertEqual(metrics.mAP50, 0.995, accuracy: 1e-12)
        XCTAssertEqual(metrics.mAP50to95, 0.995, accuracy: 1e-12)
        XCTAssertEqual(metrics.precision, 1, accuracy: 1e-12)
        XCTAssertEqual(metrics.recall, 1, accuracy: 1e-12)
    }

    /// IoU 0.6 counts at thresholds 0.50 and 0.55 and 0.60 only: AP50-95 = 0.995 * 3/10.
    func testIoUThresholdLadder() throws {
        var evaluator = DetectionEvaluator()
        let label = Box(x1: 0, y1: 0, x2: 10, y2: 10)
        let prediction = Box(x1: 0, y1: 0, x2: 10, y2: 6)  // IoU = 60 / 100
        try evaluator.add(labels: [LabeledBox(classID: 2, box: label)], predictions: [ScoredBox(classID: 2, box: prediction, confidence: 0.5)])
        let metrics = evaluator.evaluate()
        XCTAssertEqual(metrics.perClass.map(\.classID), [2])
        XCTAssertEqual(metrics.mAP50, 0.995, accuracy: 1e-12)
        XCTAssertEqual(metrics.mAP50to95, 0.995 * 2 / 10, accuracy: 1e-12, "IoU 0.6 - 1e-7 epsilon misses 0.60")
    }

    func testNoTruePositivesGivesZeros() throws {
        var evaluator = DetectionEvaluator()
        try evaluator.add(labels: [LabeledBox(classID: 0, box: Box(x1: 0, y1: 0, x2: 1, y2: 1))],
                          predictions: [ScoredBox(classID: 1, box: Box(x1: 0, y1: 0, x2: 1, y2: 1), confidence: 0.9)])
        let metrics = evaluator.evaluate()
        XCTAssertEqual([metrics.precision, metrics.recall, metrics.mAP50, metrics.mAP50to95], [0, 0, 0, 0])
        XCTAssertEqual(metrics.labelCount, 1)
    }

    func testBadLineNamesFileAndLine() throws {
        let root = try temporaryDirectory("yolo-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("a.txt")
        try "0 0.5 0.5 0.1 0.1 0.9\n1 0.5 0.5 0.1 0.1 nan\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try YOLOFiles.readPredictions(file)) { error in
            XCTAssertEqual(error as? MalformedFile, MalformedFile(file: file.path, line: 2, reason: "confidence 'nan' is not a finite number"))
        }
        let badLabels = [("0 0.5 0.5 0.1", "expected 5 fields 'class cx cy w h', found 4"),
                         ("1.5 0.5 0.5 0.1 0.1", "class '1.5' is not a non-negative integer"),
                         ("-1 0.5 0.5 0.1 0.1", "class '-1' is not a non-negative integer"),
                         ("0 0.5 0.5 -0.1 0.1", "negative box size (w -0.1, h 0.1)")]
        for (row, reason) in badLabels {
            try "\n\(row)\n".write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try YOLOFiles.readLabels(file)) { XCTAssertEqual("\($0)", "\(file.path):2: \(reason)") }
        }
        // yolov5 reads labels as floats: "2.0" is class 2; centre form becomes corners.
        try "2.0 0.5 0.5 0.2 0.4\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try YOLOFiles.readLabels(file), [LabeledBox(classID: 2, box: Box(x1: 0.4, y1: 0.3, x2: 0.6, y2: 0.7))])
    }
}
