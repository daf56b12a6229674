import Detection
import Foundation
import LookKitCore
import TestSupport
import Torch
import XCTest

/// NMS against the `yolov5` package's `non_max_suppression` (its torchvision call replaced by a
/// plain greedy loop) on the same random predictions, in detect and in validation settings.
final class NonMaxSuppressionTests: XCTestCase {
    func testMatchesThePackageInDetectAndValidationSettings() throws {
        let reference = try YOLOv5Reference("nms")
        defer { reference.remove() }
        let input = try reference.tensors("nms-in.pt"), expected = try reference.tensors("nms-out.pt")
        let predictions = try XCTUnwrap(input["predictions"])

        for (name, nms) in [("detect", NonMaxSuppression()), ("val", NonMaxSuppression.validation)] {
            let found = try nms(predictions)
            for image in 0..<2 {
                let reference = try XCTUnwrap(expected["\(name)\(image)"])
                let rows = try reference.floats(), count = reference.shape[0]
                XCTAssertEqual(found[image].count, count, "\(name) image \(image): detections kept")
                XCTAssertGreaterThan(count, 5, "a test that keeps nothing checks nothing")
                for (k, detection) in found[image].prefix(count).enumerated() {
                    let r = rows[k * 6 ..< (k + 1) * 6].map(Double.init)
                    let b = detection.box
                    XCTAssertEqual([b.x1, b.y1, b.x2, b.y2].enumerated().map { abs($0.element - r[$0.offset]) }.max()!, 0, accuracy: 1e-3)
                    XCTAssertEqual(detection.confidence, r[4], accuracy: 1e-5, "\(name) \(image) #\(k)")
                    XCTAssertEqual(detection.classID, Int(r[5]), "\(name) \(image) #\(k)")
                }
            }
        }
    }

    func testGreedyKeepsTheHigherScoreAndSeparatesClasses() {
        let a = Box(x1: 0, y1: 0, x2: 10, y2: 10), b = Box(x1: 1, y1: 0, x2: 11, y2: 10)  // IoU 9/11 ≈ 0.82
        XCTAssertEqual(NonMaxSuppression.greedy(sortedBoxes: [a, b], threshold: 0.8), [0])
        XCTAssertEqual(NonMaxSuppression.greedy(sortedBoxes: [a, b], threshold: 0.85), [0, 1])
        // The same two boxes as different classes both survive class-aware NMS.
        let predictions = try! Tensor([5, 5, 10, 10, 0.9, 1, 0, 6, 5, 10, 10, 0.8, 0, 1], shape: [1, 2, 7])
        XCTAssertEqual(try NonMaxSuppression()(predictions)[0].map(\.classID), [0, 1])
        var agnostic = NonMaxSuppression()
        agnostic.classAgnostic = true
        XCTAssertEqual(try agnostic(predictions)[0].map(\.classID), [0])
    }
}
