import Foundation
import TestSupport
import Torch
import XCTest

/// The style embedder from the command line: a tiny run, its validation questions written as JSONL and
/// scored by `eval fitb` as validation scored them, a table row, and `rank` over a catalog folder.
final class StyleCLITests: CLITestCase {
    func testTrainWriteQuestionsScoreAndRank() throws {
        let mango = try SharedData.dataset("mango-outfits-sample")
        let overrides = ["model.weights=null", "data.imageSize=64", "style.productSize=48", "batchSize=4", "style.validationBlanks=1",
                         "style.validationFraction=0.1", "data.root=\(mango.path)", "validateEvery=0"].flatMap { ["--set", $0] }
        let train = try lookkit(["train", "style", "--config", "experiments/style-efficientnet-lite0.yaml", "--steps", "2", "--project", work.path,
                                 "--name", "s", "--db", work.appendingPathComponent("runs.db").path] + overrides)
        XCTAssertEqual(train.code, 0, train.err)
        let run = work.appendingPathComponent("s")
        let best = run.appendingPathComponent("best.safetensors")

        let questions = work.appendingPathComponent("q.jsonl")
        let written = try lookkit(["data", "fitb", "--config", run.appendingPathComponent("config.json").path, "--out", questions.path])
        XCTAssertEqual(written.code, 0, written.err)
        let images = written.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(images, mango.appendingPathComponent("images").path)
        let scored = try lookkit(["eval", "fitb", "--checkpoint", best.path, "--questions", questions.path, "--images", images, "--json"])
        XCTAssertEqual(scored.code, 0, scored.err)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(scored.out.utf8)) as? [String: Any])
        let validated = try XCTUnwrap(SafeTensors.metadata(best)["score"].flatMap(Double.init))
        XCTAssertEqual(try XCTUnwrap(report["accuracy"] as? Double), validated, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(try XCTUnwrap(report["accuracy_low"] as? Double), validated)
        let row = try lookkit(["eval", "fitb", "--checkpoint", best.path, "--questions", questions.path, "--images", images, "--name", "tiny"])
        XCTAssertTrue(row.out.split(separator: "\n").last?.hasPrefix("| tiny") ?? false, row.out)
        let both = try lookkit(["eval", "fitb", "--random", "--backbone", "resnet18", "--questions", questions.path, "--images", images])
        XCTAssertEqual(both.code, 64, "a usage error")
        XCTAssertTrue(both.err.contains("--random scores no model"), both.err)

        // A catalog folder: category = subfolder.
        let photos = try FileManager.default.contentsOfDirectory(atPath: images).sorted().prefix(5).map { URL(fileURLWithPath: images).appendingPathComponent($0) }
        let catalog = work.appendingPathComponent("catalog")
        for (i, photo) in photos.dropFirst().enumerated() {
            let folder = catalog.appendingPathComponent(i < 3 ? "tops" : "shoes")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: photo, to: folder.appendingPathComponent(photo.lastPathComponent))
        }
        let ranked = try lookkit(["rank", "--checkpoint", best.path, "--scene", photos[0].path, "--catalog", catalog.path, "--category", "tops", "--k", "2", "--json"])
        XCTAssertEqual(ranked.code, 0, ranked.err)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ranked.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["rank"] as? Int }, [1, 2])
        XCTAssertEqual(rows.compactMap { $0["category"] as? String }, ["tops", "tops"])
        let distances = rows.compactMap { $0["distance"] as? Double }
        XCTAssertEqual(distances, distances.sorted())
        let unknown = try lookkit(["rank", "--checkpoint", best.path, "--scene", photos[0].path, "--catalog", catalog.path, "--category", "hats"])
        XCTAssertNotEqual(unknown.code, 0)
        XCTAssertTrue(unknown.err.contains("categories: shoes, tops"), unknown.err)

        // Serving: each side exports on its own (checked in OpenCV DNN); without --part the command says so.
        // The test's 64² scenes have 2×2 regions: 128 global + 4 × (128 local + 64 key).
        for (part, width) in [("scene", 128 + 4 * (128 + 64)), ("product", 128 + 128 + 64)] {
            let exported = try lookkit(["export", "--checkpoint", best.path, "--part", part, "--out", work.appendingPathComponent("\(part).onnx").path,
                                        "--probe", photos[0].path])
            XCTAssertEqual(exported.code, 0, exported.err)
            XCTAssertTrue(exported.out.contains("\(part)_vectors [-1, \(width)]"), exported.out)
        }
        let whole = try lookkit(["export", "--checkpoint", best.path, "--out", work.appendingPathComponent("style.onnx").path])
        XCTAssertNotEqual(whole.code, 0)
        XCTAssertTrue(whole.err.contains("exports as two files: one with --part scene, one with --part product"), whole.err)
    }
}
