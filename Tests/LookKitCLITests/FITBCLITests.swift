import Foundation
import TestSupport
import XCTest

/// `lookkit eval fitb` by the mean-cosine rule on MANGO product photos: an identical image always
/// wins, so the expected answers are known; bad lines are named with their line numbers.
final class FITBCLITests: CLITestCase {
    func testMeanCosineAnswersSkipsMissingImagesAndNamesBadLines() throws {
        let images = try SharedData.dataset("mango-outfits-sample").appendingPathComponent("images")
        let ids = try FileManager.default.contentsOfDirectory(atPath: images.path).sorted().prefix(4).map { ($0 as NSString).deletingPathExtension }
        let (a, c, d, e) = (ids[0], ids[1], ids[2], ids[3])
        func line(_ context: [String], _ candidates: [String], _ answer: Int) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: ["context": context, "candidates": candidates, "answer": answer]), as: UTF8.self)
        }
        let questions = work.appendingPathComponent("q.jsonl")
        try [line([a], [c, d, a, e], 2),            // the context's own image is the answer: right
             line([a], [a, c], 1),                  // the context's own image is a wrong candidate: wrong
             line([a], [c, "no-such-image"], 0)]    // skipped, named with its line
            .joined(separator: "\n").write(to: questions, atomically: true, encoding: .utf8)
        let backbone = ["--backbone", "efficientnet_lite0", "--images", images.path]
        let result = try lookkit(["eval", "fitb", "--questions", questions.path, "--json"] + backbone)
        XCTAssertEqual(result.code, 0, result.err)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        XCTAssertEqual(report["accuracy"] as? Double, 0.5)
        XCTAssertEqual(report["questions"] as? Int, 2)
        XCTAssertEqual(report["skipped"] as? Int, 1)
        XCTAssertTrue(result.err.contains("q.jsonl:3:"), result.err)

        try [line([a], [c, d], 0), "{\"context\": [\"\(a)\"], \"candidates\": ", line([a], [c, d], 2)]
            .joined(separator: "\n").write(to: questions, atomically: true, encoding: .utf8)
        let malformed = try lookkit(["eval", "fitb", "--questions", questions.path] + backbone)
        XCTAssertEqual(malformed.code, 2)
        XCTAssertTrue(malformed.err.contains("q.jsonl:2:"), malformed.err)
        try [line([a], [c, d], 2)].joined().write(to: questions, atomically: true, encoding: .utf8)
        let outOfRange = try lookkit(["eval", "fitb", "--questions", questions.path] + backbone)
        XCTAssertEqual(outOfRange.code, 2)
        XCTAssertTrue(outOfRange.err.contains("q.jsonl:1: answer 2 is not an index of the 2 candidates"), outOfRange.err)
    }
}
