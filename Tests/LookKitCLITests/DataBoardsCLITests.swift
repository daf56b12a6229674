import Datasets
import Foundation
import TestSupport
import XCTest

/// `lookkit data boards` writes a YOLO dataset that the reader takes back cleanly, the same for
/// the same seed, and fails with exit code 2 and the reason on unusable input.
final class DataBoardsCLITests: CLITestCase {
    private func labels(in dataset: URL) throws -> [String] {
        try YOLOReader.read(dataset).allSamples.map { try String(contentsOf: $0.labelFile, encoding: .utf8) }
    }

    func testBoardsFromRealProductsReadBackAsYOLO() throws {
        let styles = try SharedData.dataset("fashion-product-images-sample/styles.csv")
        func boards(_ folder: String, seed: Int) throws -> URL {
            let out = work.appendingPathComponent(folder)
            let run = try lookkit(["data", "boards", "--styles", styles.path, "--gender", "Women", "--out", out.path,
                                   "--count", "5", "--size", "192", "--seed", String(seed)])
            XCTAssertEqual(run.code, 0, run.err)
            XCTAssertTrue(run.out.contains("5 boards from"), run.out)
            return out.appendingPathComponent("data.yaml")
        }
        let yaml = try boards("a", seed: 3)
        let dataset = try YOLOReader.read(yaml)
        XCTAssertEqual(dataset.issues, [])
        XCTAssertEqual(dataset.names, CoarseFashionClass.names)
        XCTAssertEqual(dataset.samples("train").count, 4)
        XCTAssertEqual(dataset.samples("val").map(\.id), ["board_000004"])
        for sample in dataset.allSamples {
            XCTAssertTrue((3...6).contains(sample.boxes.count), "\(sample.id): \(sample.boxes.count) boxes")
            let image = try Image(contentsOf: sample.image)
            XCTAssertEqual([image.width, image.height], [192, 192])
        }
        XCTAssertEqual(try labels(in: yaml), try labels(in: try boards("b", seed: 3)), "same seed, same boards")
        XCTAssertNotEqual(try labels(in: yaml), try labels(in: try boards("c", seed: 4)))
    }

    func testUnusableInputExitsWithTwoAndTheReason() throws {
        let missing = work.appendingPathComponent("nowhere/styles.csv")
        let run = try lookkit(["data", "boards", "--styles", missing.path, "--out", work.appendingPathComponent("out").path])
        XCTAssertEqual(run.code, 2)
        XCTAssertTrue(run.err.contains(missing.path), run.err)

        let styles = try SharedData.dataset("fashion-product-images-sample/styles.csv")
        let none = try lookkit(["data", "boards", "--styles", styles.path, "--gender", "Nobody", "--out", work.appendingPathComponent("out").path])
        XCTAssertEqual(none.code, 2)
        XCTAssertTrue(none.err.contains("a style board needs at least one product"), none.err)
    }
}
