import Foundation
import TestSupport
import XCTest
@testable import Datasets

/// Outfit boards with negatives drawn per epoch, FITB files written and read back, product catalogs.
final class StyleDataTests: XCTestCase {
    func mangoOutfits() throws -> [Outfit] {
        try MangoReader.readOutfits(try SharedData.dataset("mango-outfits-sample")).records
    }

    func testOutfitNegativesShareTheFamilyAndAreDrawnAfreshPerEpoch() throws {
        let outfits = Array(try mangoOutfits().prefix(120))
        let set = try OutfitSceneSet(outfits, sceneSize: 96, productSize: 64, seed: 3)
        XCTAssertGreaterThan(set.count, 300)
        var drawn = Set<String>()
        for epoch in 0..<6 {
            var generator = SeededGenerator.derived(3, epoch)
            let negative = set.negative(of: 0, generator: &generator)
            let t = set.triplets[0]
            XCTAssertEqual(negative.category, t.outfit.items[t.positive].category)
            XCTAssertFalse(t.outfit.items.contains(negative))
            drawn.insert(negative.id)
        }
        XCTAssertGreaterThan(drawn.count, 1, "each epoch draws its own negative")
        var generator = SeededGenerator(seed: 1)
        let sample = try set.sample(at: 0, generator: &generator)
        XCTAssertEqual([sample.scene.width, sample.positive.width, sample.negative.height], [96, 64, 64])
    }

    func testFITBFileWritesWhatItReads() throws {
        let questions = fillInTheBlank(Array(try mangoOutfits().prefix(80)), seed: 4, blanksPerOutfit: 3)
        XCTAssertGreaterThan(questions.count, 80, "several blanks per outfit")
        XCTAssertEqual(Set(questions.map(\.outfitID)).count < questions.count, true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fitb-\(UUID().uuidString).jsonl")
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        let images = try FITBFile.write(questions, to: file)
        XCTAssertEqual(images.lastPathComponent, "images")
        let (read, skipped) = try FITBFile.read(file, images: images)
        XCTAssertTrue(skipped.isEmpty)
        XCTAssertEqual(read.map(\.line), Array(1...questions.count))
        for (q, r) in zip(questions, read) {
            XCTAssertEqual(r.context.map { FITBFile.image(for: $0, in: images).path }, q.context.map { $0.image!.path })
            XCTAssertEqual(r.candidates.map { FITBFile.image(for: $0, in: images).path }, q.answers.map { $0.image!.path })
            XCTAssertEqual(r.answer, q.correct)
        }
    }

    func testProductCatalogFromFolderAndCSV() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let image = try Image(width: 8, height: 8, fill: (200, 10, 10))
        for path in ["shoes/a.jpg", "shoes/b.jpg", "bags/c.jpg", "loose.jpg"] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try image.write(to: url)
        }
        let folder = try ProductCatalog.read(root)
        XCTAssertEqual(folder.map { $0.image.lastPathComponent }, ["c.jpg", "loose.jpg", "a.jpg", "b.jpg"])
        XCTAssertEqual(folder.map(\.category), ["bags", nil, "shoes", "shoes"])

        let csv = root.appendingPathComponent("gallery.csv")
        try "id,path,label\n0,shoes/a.jpg,shoes\n1,bags/c.jpg,bags\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ProductCatalog.read(csv).map(\.category), ["shoes", "bags"])
        try "id,path,label\n0,shoes/a.jpg,shoes\n1,bags/missing.jpg,bags\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProductCatalog.read(csv)) { XCTAssertTrue("\($0)".contains("gallery.csv:3"), "\($0)") }
        try "id,file\n0,a.jpg\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProductCatalog.read(csv)) { XCTAssertTrue("\($0)".contains("'path' column"), "\($0)") }
    }

    func testAttentionOverlayDarkensByWeightAndOutlinesTheLargest() throws {
        let grey = try Image(width: 40, height: 40, fill: (200, 200, 200))
        let shown = try grey.attentionOverlay([1, 0.5, 0, 0.25], rows: 2, cols: 2)
        XCTAssertTrue(shown.pixel(x: 10, y: 10) == (200, 200, 200), "the most attended cell keeps its pixels")
        XCTAssertTrue(shown.pixel(x: 0, y: 0) == (230, 30, 30), "and is outlined")
        // Opacity 0.8·(1 − w/max) of black: 0.5 → 0.4 → 120; 0 → 0.8 → 40; 0.25 → 0.6 → 80.
        XCTAssertEqual(Int(shown.pixel(x: 30, y: 10).0), 120, accuracy: 1)
        XCTAssertEqual(Int(shown.pixel(x: 10, y: 30).0), 40, accuracy: 1)
        XCTAssertEqual(Int(shown.pixel(x: 30, y: 30).0), 80, accuracy: 1)
        XCTAssertThrowsError(try grey.attentionOverlay([1, 2, 3], rows: 2, cols: 2))
    }
}

