import Datasets
import Detection
import Foundation
import TestSupport
import XCTest

/// AutoAnchor against the `yolov5` package's check_anchors and check_anchor_order on the same images,
/// boxes and augmentation scales (its own `metric` closure, see autoanchor_reference.py), and the
/// anchor search on clustered boxes that bad anchors miss.
final class AutoAnchorTests: XCTestCase {
    /// Anchors far smaller than most boxes: only the few small ones fit.
    static let badAnchors: [[Double]] = [[4, 5, 6, 4, 5, 6], [8, 7, 7, 9, 9, 8], [12, 10, 10, 14, 13, 13]]
    static let strides = [8, 16, 32]

    func testCheckAndOrderMatchThePackage() throws {
        let available = try ReferencePython.run(code: "import importlib.util as u; print(u.find_spec('yolov5') is not None)")
        guard available.contains("True") else { throw XCTSkip("the yolov5 package is not in the venv (make setup installs it)") }
        var generator = SeededGenerator(seed: 7)
        let images: [AutoAnchor.ImageBoxes] = (0..<80).map { _ in
            // Log-uniform sides from about 6 px to most of the image, so small boxes are common.
            let side = { (generator: inout SeededGenerator) in exp(Double.random(in: log(0.01)...log(0.9), using: &generator)) }
            let boxes = (0..<Int.random(in: 0...6, using: &generator)).map { _ in (width: side(&generator), height: side(&generator)) }
            return (Int.random(in: 120...1200, using: &generator), Int.random(in: 120...1200, using: &generator), boxes)
        }
        let scales = AutoAnchor.augmentationScales(count: images.count, using: &generator)
        XCTAssertTrue(scales.allSatisfy { (0.9..<1.1).contains($0) })
        let sets: [String: [[Double]]] = ["default": YOLOv5Spec.v7Anchors, "bad": Self.badAnchors,
                                          "reversed": YOLOv5Spec.v7Anchors.reversed()]
        let input: [String: Any] = [
            "images": images.map { ["width": $0.width, "height": $0.height, "boxes": $0.boxes.map { [$0.width, $0.height] }] },
            "scales": scales, "imageSize": 640, "threshold": 4.0, "strides": Self.strides, "anchors": sets,
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("autoanchor-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try ReferencePython.run(script: "Tests/DetectionTests/autoanchor_reference.py", [file.path])
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [String: Any])

        let sizes = try AutoAnchor.labelSizes(images, imageSize: 640, scales: scales)
        let theirSizes = try XCTUnwrap(reference["wh"] as? [[Double]])
        XCTAssertEqual(sizes.count, theirSizes.count)
        for (mine, theirs) in zip(sizes, theirSizes) {  // theirs are float32
            XCTAssertEqual(mine.width, theirs[0], accuracy: 1e-6 * theirs[0])
            XCTAssertEqual(mine.height, theirs[1], accuracy: 1e-6 * theirs[1])
        }
        let results = try XCTUnwrap(reference["sets"] as? [String: [String: Any]])
        for (name, anchors) in sets {
            let theirs = try XCTUnwrap(results[name])
            let (bpr, above) = try AutoAnchor.check(labelSizes: sizes, anchors: anchors)
            XCTAssertEqual(bpr, try XCTUnwrap(theirs["bpr"] as? Double), accuracy: 1e-6, "\(name) best possible recall")
            XCTAssertEqual(above, try XCTUnwrap(theirs["aat"] as? Double), accuracy: 1e-6, "\(name) anchors above threshold")
            XCTAssertEqual(bpr, try XCTUnwrap(theirs["loggedBPR"] as? Double), accuracy: 0.0005, "\(name): what check_anchors logs")
            XCTAssertEqual(above, try XCTUnwrap(theirs["loggedAAT"] as? Double), accuracy: 0.005, "\(name): what check_anchors logs")
            let order = try AutoAnchor.orderedByStride(anchors, strides: Self.strides)
            XCTAssertEqual(order.reversed, try XCTUnwrap(theirs["reversed"] as? Bool), "\(name): check_anchor_order")
            print("AutoAnchor \(name): BPR \(bpr), \(above) anchors/target over \(sizes.count) boxes")
        }
        let bad = try AutoAnchor.check(labelSizes: sizes, anchors: Self.badAnchors)
        let good = try AutoAnchor.check(labelSizes: sizes, anchors: YOLOv5Spec.v7Anchors)
        XCTAssertGreaterThan(bad.bpr, 0, "some boxes are small enough")
        XCTAssertLessThan(bad.bpr, good.bpr - 0.3, "tiny anchors miss most boxes")
        XCTAssertGreaterThan(good.bpr, 0.8)
    }

    func testOrderFollowsStrides() throws {
        let flipped = try AutoAnchor.orderedByStride(YOLOv5Spec.v7Anchors.reversed(), strides: Self.strides)
        XCTAssertTrue(flipped.reversed)
        XCTAssertEqual(flipped.anchors, YOLOv5Spec.v7Anchors)
        let kept = try AutoAnchor.orderedByStride(YOLOv5Spec.v7Anchors, strides: Self.strides)
        XCTAssertFalse(kept.reversed)
        XCTAssertEqual(kept.anchors, YOLOv5Spec.v7Anchors)
        XCTAssertFalse(try AutoAnchor.orderedByStride([[5, 5], [5, 5]], strides: [8, 16]).reversed, "equal areas stay")
        XCTAssertThrowsError(try AutoAnchor.orderedByStride(YOLOv5Spec.v7Anchors, strides: [8, 16]))
    }

    func testEvolveFitsClusteredBoxesThatBadAnchorsMiss() throws {
        var generator = SeededGenerator(seed: 11)
        let centres: [(Double, Double)] = [(14, 20), (30, 22), (26, 52), (60, 44), (52, 104), (110, 84), (120, 200), (230, 170), (400, 360)]
        let sizes: [AutoAnchor.Size] = centres.flatMap { centre in
            (0..<50).map { _ in
                (centre.0 * Double.random(in: 0.8...1.25, using: &generator), centre.1 * Double.random(in: 0.8...1.25, using: &generator))
            }
        }
        let before = try AutoAnchor.check(labelSizes: sizes, anchors: Self.badAnchors)
        XCTAssertLessThan(before.bpr, AutoAnchor.recallToRecompute)
        let anchors = try AutoAnchor.evolve(labelSizes: sizes, count: 9, imageSize: 640, generations: 300, using: &generator)
        XCTAssertEqual(anchors.count, 9)
        XCTAssertTrue(anchors.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 >= 2 } })
        let areas = anchors.map { $0[0] * $0[1] }
        XCTAssertEqual(areas, areas.sorted(), "sorted by area, smallest first")
        let after = try AutoAnchor.check(labelSizes: sizes, anchors: anchors)
        XCTAssertGreaterThan(after.bpr, AutoAnchor.recallToRecompute)
        let (badFitness, newFitness) = (try AutoAnchor.fitness(labelSizes: sizes, anchors: Self.badAnchors),
                                        try AutoAnchor.fitness(labelSizes: sizes, anchors: anchors))
        XCTAssertGreaterThan(newFitness, badFitness + 0.3)
        print("AutoAnchor evolve: BPR \(before.bpr) → \(after.bpr), fitness \(badFitness) → \(newFitness), anchors \(anchors.map { $0.map { Int($0.rounded()) } })")
        let levels = try AutoAnchor.levels(anchors, count: 3)
        XCTAssertEqual(levels.map(\.count), [6, 6, 6])
        XCTAssertFalse(try AutoAnchor.orderedByStride(levels, strides: Self.strides).reversed, "small anchors go to the fine level")

        let replaced = try AutoAnchor.fitted(Self.badAnchors, strides: Self.strides, labelSizes: sizes, imageSize: 640,
                                             generations: 100, using: &generator)
        XCTAssertTrue(replaced.replaced)
        XCTAssertEqual(replaced.anchors.map(\.count), [6, 6, 6])
        XCTAssertGreaterThan(try AutoAnchor.check(labelSizes: sizes, anchors: replaced.anchors).bpr, before.bpr)
        let kept = try AutoAnchor.fitted(replaced.anchors, strides: Self.strides, labelSizes: sizes, imageSize: 640, using: &generator)
        XCTAssertFalse(kept.replaced, "anchors that already fit stay")
        XCTAssertEqual(kept.anchors, replaced.anchors)
    }

    func testTinyBoxesAreFilteredAndTooFewBoxesFallBackToRandomAnchors() throws {
        let sizes: [AutoAnchor.Size] = [(1, 1), (1.5, 40), (2.5, 2.5), (30, 30), (30, 30)]
        let (kept, tiny) = AutoAnchor.filtered(sizes)
        XCTAssertEqual(kept.map(\.width), [1.5, 2.5, 30, 30], "a box 2 px or more on either side is kept")
        XCTAssertEqual(tiny, 3, "boxes under 3 px on some side")
        var generator = SeededGenerator(seed: 3)
        // Three distinct sizes cannot give nine k-means centres: random sizes up to the image size.
        let anchors = try AutoAnchor.evolve(labelSizes: sizes, count: 9, imageSize: 640, generations: 0, using: &generator)
        XCTAssertEqual(anchors.count, 9)
        XCTAssertTrue(anchors.allSatisfy { $0.allSatisfy { (0..<640).contains($0) } })
        XCTAssertThrowsError(try AutoAnchor.evolve(labelSizes: [(1, 1)], count: 3, imageSize: 640, using: &generator))
        XCTAssertThrowsError(try AutoAnchor.check(labelSizes: [], anchors: YOLOv5Spec.v7Anchors))
        XCTAssertThrowsError(try AutoAnchor.check(labelSizes: sizes, anchors: [[10, 13, 16]]))
    }

    /// The v7 default anchors on the fashion detection set's real boxes (without augmentation scales),
    /// printed for the log; at most `limit` images are decoded to keep the test short.
    func testDefaultAnchorsOnTheFashionDetectionSet() throws {
        let folder = try SharedData.dataset("colorful-fashion-detection-train")
        let limit = 400
        let samples = Array(try YOLOReader.read(folder).allSamples.prefix(limit))
        let images: [AutoAnchor.ImageBoxes] = try samples.map { sample in
            let image = try Image(contentsOf: sample.image)
            return (image.width, image.height, sample.boxes.map { ($0.box.width, $0.box.height) })
        }
        let sizes = try AutoAnchor.labelSizes(images, imageSize: 640)
        let (bpr, above) = try AutoAnchor.check(labelSizes: sizes, anchors: YOLOv5Spec.v7Anchors)
        print("AutoAnchor on \(folder.lastPathComponent): \(sizes.count) boxes in \(images.count) images, v7 default anchors "
            + "BPR \(String(format: "%.4f", bpr)), \(String(format: "%.2f", above)) anchors/target")
        XCTAssertGreaterThan(sizes.count, 0)
        XCTAssertTrue((0...1).contains(bpr))
    }
}
