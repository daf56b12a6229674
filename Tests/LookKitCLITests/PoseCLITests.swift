import Foundation
import TestSupport
import XCTest

/// `lookkit eval pose` on a few hand-labelled street photos (../shared) with the real graph.
final class PoseCLITests: CLITestCase {
    func graphOrSkip() throws -> URL {
        let graph = Self.root.appendingPathComponent("checkpoints/pretrained/pose_mobilenet_thin.pb")
        guard FileManager.default.fileExists(atPath: graph.path) else { throw XCTSkip("no pose graph at \(graph.path): run `make weights`") }
        return graph
    }

    /// Ten rows of datasets/labels/street-photos.csv: the first eight and two whose legs are cut off.
    func labelsSubset() throws -> URL {
        let rows = try String(contentsOf: Self.root.appendingPathComponent("datasets/labels/street-photos.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let chosen = [rows[0]] + rows[1 ... 8] + rows.filter { $0.hasPrefix("48562.jpg,") || $0.hasPrefix("99947.jpg,") }
        XCTAssertEqual(chosen.count, 11)
        let subset = work.appendingPathComponent("labels.csv")
        try chosen.joined(separator: "\n").write(to: subset, atomically: true, encoding: .utf8)
        return subset
    }

    func testEvalPoseScoresEachRuleAndTheCutLegsCrops() throws {
        let graph = try graphOrSkip()
        let images = try SharedData.dataset("colorful-fashion-detection-train").appendingPathComponent("images")
        let labels = try labelsSubset(), keypoints = work.appendingPathComponent("keypoints.json")
        let run = try lookkit(["eval", "pose", "--images", images.path, "--labels", labels.path, "--graph", graph.path, "--crops-cut-legs",
                               "--keypoints", keypoints.path, "--json"])
        XCTAssertEqual(run.code, 0, run.err)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let all = try XCTUnwrap(report["all"] as? [String: Any])
        XCTAssertEqual(all["photos"] as? Int, 10)
        // The eight full shots get a crop; the two cut-leg photos do not.
        XCTAssertEqual(all["cutLegsCrops"] as? Int, 8)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(all["cutLegsRejected"] as? Double), 0.8, run.out)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(all["fullShotAccuracy"] as? Double), 0.7, run.out)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(all["frontFacingAccuracy"] as? Double), 0.7, run.out)
        for half in ["tuning", "heldOut"] {
            let scores = try XCTUnwrap(report[half] as? [String: Any])
            XCTAssertGreaterThan(try XCTUnwrap(scores["photos"] as? Int), 0, "\(half) half is empty")
        }
        XCTAssertTrue(run.err.contains("10/10"), "progress bar: \(run.err)")

        // Again from the saved keypoints (no network, no graph), with a nose rule no photo can pass.
        let rules = work.appendingPathComponent("rules.json")
        try #"{"maxNoseOffset": -1}"#.write(to: rules, atomically: true, encoding: .utf8)
        let again = try lookkit(["eval", "pose", "--images", images.path, "--labels", labels.path, "--graph", "/nonexistent.pb",
                                 "--crops-cut-legs", "--keypoints", keypoints.path, "--rules", rules.path, "--json"])
        XCTAssertEqual(again.code, 0, again.err)
        let strict = try XCTUnwrap(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.out.utf8)) as? [String: Any])["all"] as? [String: Any])
        XCTAssertEqual(strict["fullShotAccuracy"] as? Double, all["fullShotAccuracy"] as? Double, "same keypoints, same full-shot rule")
        XCTAssertEqual(strict["frontFacingAccuracy"] as? Double, 0, "every photo here is labelled front facing")
        // Keypoints saved with the crops do not serve a run without them.
        let mismatch = try lookkit(["eval", "pose", "--images", images.path, "--labels", labels.path, "--keypoints", keypoints.path])
        XCTAssertEqual(mismatch.code, 2, mismatch.err)
        XCTAssertTrue(mismatch.err.contains(keypoints.path), mismatch.err)
    }

    func testBadLabelIsNamedWithItsLine() throws {
        let labels = work.appendingPathComponent("bad.csv")
        try "file,full_shot,front_facing,gender\n1.jpg,yes,yes,Women\n2.jpg,maybe,yes,Women\n".write(to: labels, atomically: true, encoding: .utf8)
        let run = try lookkit(["eval", "pose", "--images", work.path, "--labels", labels.path])
        XCTAssertEqual(run.code, 2, run.err)
        XCTAssertTrue(run.err.contains("\(labels.path):3: full_shot is \"maybe\""), run.err)
    }
}
