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

final class ReducedDecodeTests: XCTestCase {
    /// A large JPEG decodes at the smallest 1/2ⁿ scale that keeps its longer side at the size asked;
    /// other formats and small photos decode as they are.
    func testLargeJPEGsDecodeReducedButNeverBelowTheSize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-reduced-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let big = try Image(width: 3000, height: 2000, fill: (200, 30, 30))
        let jpeg = folder.appendingPathComponent("big.jpg"), png = folder.appendingPathComponent("big.png")
        try big.write(to: jpeg)
        try big.write(to: png)
        let reduced = try Image(contentsOf: jpeg, atLeast: 416)
        XCTAssertEqual([reduced.width, reduced.height], [750, 500])  // 3000/8 = 375 < 416 ≤ 3000/4
        XCTAssertEqual(try Image(contentsOf: jpeg, atLeast: 1600).width, 3000)
        XCTAssertEqual(try Image(contentsOf: png, atLeast: 416).width, 3000)
        let (r, g, b) = reduced.pixel(x: 10, y: 10)
        XCTAssertEqual([Int(r), Int(g), Int(b)], [200, 30, 30].map { $0 }, accuracy: 3)
    }
}

private func XCTAssertEqual(_ a: [Int], _ b: [Int], accuracy: Int, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertLessThanOrEqual(abs(x - y), accuracy, "\(a) vs \(b)", file: file, line: line) }
}
