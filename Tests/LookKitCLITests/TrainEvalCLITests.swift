import Foundation
import XCTest

/// End to end through the `lookkit` binary, as a user runs it: train from a config, find the run in
/// the log, evaluate the checkpoint on a labelled folder, and get clear failures for bad input.
final class TrainEvalCLITests: CLITestCase {
    func testTrainEmbedderThenEvaluateCheckpoint() throws {
        let (data, labels) = try makeDataset()
        let config = work.appendingPathComponent("run.json")
        try """
        {"name": "cli-test", "task": "embedder", "model": {"architecture": "small_cnn", "embeddingDimension": 16},
         "data": {"root": "\(data.path)", "imageSize": 32, "workers": 2},
         "triplet": {"classesPerBatch": 3, "imagesPerClass": 4}, "steps": 12, "checkpointEvery": 5,
         "output": "\(work.appendingPathComponent("out").path)"}
        """.write(to: config, atomically: true, encoding: .utf8)
        let db = work.appendingPathComponent("runs.db").path
        let train = try lookkit(["train", "embedder", "--config", config.path, "--db", db, "--threads", "2"])
        XCTAssertEqual(train.code, 0, train.err)
        XCTAssertTrue(train.out.contains("| small_cnn triplet |"), train.out)
        let best = work.appendingPathComponent("out/best.safetensors")
        XCTAssertTrue(FileManager.default.fileExists(atPath: best.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("out/report.html").path))

        let runs = try lookkit(["runs", "show", "1", "--db", db])
        XCTAssertEqual(runs.code, 0, runs.err)
        XCTAssertTrue(runs.out.contains("finished"), runs.out)
        XCTAssertTrue(runs.out.contains("mAP@10"), runs.out)

        let eval = try lookkit(["eval", "embedder", "--checkpoint", best.path, "--images", data.appendingPathComponent("validation").path,
                                "--labels", labels.path, "--json"])
        XCTAssertEqual(eval.code, 0, eval.err)
        let scores = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Double])
        XCTAssertEqual(scores["queries"], 18)
        XCTAssertEqual(scores["galleryCount"], 18)
        let p1 = try XCTUnwrap(scores["precisionAt1"])
        XCTAssertTrue((0 ... 1).contains(p1))
        // Leave-one-out: every query has 5 relevant photos among 17, so P@10 is at most 0.5.
        XCTAssertLessThanOrEqual(try XCTUnwrap(scores["precisionAt10"]), 0.5 + 1e-9)
    }

    func testBadInputsFailWithMessages() throws {
        let missing = try lookkit(["train", "embedder", "--config", "/nonexistent/run.json", "--db", work.appendingPathComponent("r.db").path])
        XCTAssertNotEqual(missing.code, 0)
        XCTAssertTrue(missing.err.contains("/nonexistent/run.json"), missing.err)

        let notLookKit = work.appendingPathComponent("x.safetensors")
        try Data([1, 2, 3]).write(to: notLookKit)
        let eval = try lookkit(["eval", "embedder", "--checkpoint", notLookKit.path, "--images", work.path, "--labels", "x.csv"])
        XCTAssertNotEqual(eval.code, 0)
        XCTAssertTrue(eval.err.contains(notLookKit.path), eval.err)
    }
}
