import Datasets
import XCTest

/// The resize rules a run records with its weights (`data.resize`), worked out on tiny images.
final class ResizeRuleTests: XCTestCase {
    /// A 4-wide, 8-tall image whose row r has grey value 10·r.
    private func rows() throws -> Image {
        try Image(width: 4, height: 8, pixels: (0..<8).flatMap { r in [UInt8](repeating: UInt8(10 * r), count: 4 * 3) })
    }

    func testCenterCropScalesTheShortSideThenKeepsTheMiddle() throws {
        // Short side 4 → 2: the image halves to 2×4 by area averaging (rows 5, 25, 45, 65);
        // the centred 2×2 square keeps rows 1 and 2 of that.
        let cropped = try rows().fitted(2, .centerCrop)
        XCTAssertEqual([cropped.width, cropped.height], [2, 2])
        XCTAssertEqual((0..<2).map { cropped.pixel(x: 0, y: $0).0 }, [25, 45])
        XCTAssertEqual((0..<2).map { cropped.pixel(x: 1, y: $0).1 }, [25, 45])
    }

    func testStretchKeepsEveryRowSquashed() throws {
        // 8 rows → 2: each output row averages four input rows (0–30 → 15, 40–70 → 55).
        let stretched = try rows().fitted(2, .stretch)
        XCTAssertEqual([stretched.width, stretched.height], [2, 2])
        XCTAssertEqual((0..<2).map { stretched.pixel(x: 0, y: $0).0 }, [15, 55])
    }

    func testEvaluationPhotosFollowTheRule() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-resize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rows.png")
        try rows().write(to: file)
        var generator = SeededGenerator(seed: 1)
        for rule in ResizeRule.allCases {
            let set = try ClassificationSet([LabeledImage(url: file, label: "a")], size: 2, augment: false, resize: rule)
            let image = try set.sample(at: 0, generator: &generator).image
            XCTAssertEqual(image.pixels, try rows().fitted(2, rule).pixels, "\(rule)")
        }
    }
}
