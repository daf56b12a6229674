import Datasets
import Foundation
import LookKitCore
import TestSupport
import XCTest

final class DetectionSetTests: XCTestCase {
    /// With every random part switched off, the augmented path (affine warp included) must give
    /// the letterboxed image and boxes: the warp keeps boxes where the pixels go.
    func testNeutralAugmentationEqualsTheLetterbox() throws {
        let dataset = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train"))
        let samples = Array(dataset.allSamples.prefix(3))
        var neutral = DetectionAugmentation()
        (neutral.mosaic, neutral.hue, neutral.saturation, neutral.value) = (0, 0, 0, 0)
        (neutral.translate, neutral.scale, neutral.flipLeftRight) = (0, 0, 0)
        let plain = DetectionSet(samples, size: 160, augmentation: nil)
        let warped = DetectionSet(samples, size: 160, augmentation: neutral)
        for i in samples.indices {
            var g1 = SeededGenerator(seed: 1), g2 = SeededGenerator(seed: 1)
            let (a, b) = (try plain.sample(at: i, generator: &g1), try warped.sample(at: i, generator: &g2))
            XCTAssertEqual(a.boxes.count, b.boxes.count)
            for (p, q) in zip(a.boxes, b.boxes) {
                XCTAssertEqual(p.classID, q.classID)
                for (u, v) in zip([p.box.x1, p.box.y1, p.box.x2, p.box.y2], [q.box.x1, q.box.y1, q.box.x2, q.box.y2]) {
                    XCTAssertEqual(u, v, accuracy: 1e-9)
                }
            }
            let diff = zip(a.image.pixels, b.image.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(diff, 1, "sample \(i): identity warp changed pixels")
        }
    }

    /// Mosaic + affine as ultralytics: a size×size output, boxes inside it; a flip mirrors them.
    func testMosaicOutputsSizeAndKeepsBoxesInside() throws {
        let dataset = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train"))
        let set = DetectionSet(Array(dataset.allSamples.prefix(8)), size: 128, augment: true)
        var total = 0
        for i in 0..<8 {
            var generator = SeededGenerator(seed: UInt64(i))
            let (image, boxes) = try set.sample(at: i, generator: &generator)
            XCTAssertEqual([image.width, image.height], [128, 128])
            for b in boxes.map(\.box) { XCTAssertTrue(b.x1 >= -1e-9 && b.y1 >= -1e-9 && b.x2 <= 1 + 1e-9 && b.y2 <= 1 + 1e-9 && b.width > 0) }
            total += boxes.count
        }
        XCTAssertGreaterThan(total, 8, "mosaics of 4 street photos should keep most boxes")
    }

    /// The carved validation split: disjoint, complete, about the asked share, the same whatever
    /// other images exist (a sample's side depends only on its name).
    func testCarvedValidationIsStableAndDisjoint() throws {
        let dataset = try YOLOReader.read(try SharedData.dataset("colorful-fashion-detection-train"))
        let (train, validation) = dataset.trainingSplits(validationFraction: 0.1)
        XCTAssertEqual(train.count + validation.count, dataset.allSamples.count)
        XCTAssertTrue(Set(train.map(\.id)).isDisjoint(with: validation.map(\.id)))
        XCTAssertEqual(Double(validation.count) / Double(dataset.allSamples.count), 0.1, accuracy: 0.02)
        var fewer = dataset
        fewer.splits = [("all", Array(dataset.allSamples.dropFirst(500)))]
        let again = fewer.trainingSplits(validationFraction: 0.1).validation.map(\.id)
        XCTAssertEqual(again, validation.map(\.id).filter(Set(fewer.allSamples.map(\.id)).contains))
        XCTAssertEqual(try dataset.split("val", validationFraction: 0.1).map(\.id), validation.map(\.id))
        XCTAssertThrowsError(try dataset.split("test", validationFraction: 0.1)) { XCTAssertTrue("\($0)".contains("no split 'test'")) }
    }
}
