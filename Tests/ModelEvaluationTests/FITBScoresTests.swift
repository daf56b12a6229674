import ModelEvaluation
import XCTest

final class FITBScoresTests: XCTestCase {
    func testAccuracyIntervalAndAUCFromScores() throws {
        // Q1 right (0.9 beats all), Q2 wrong (0.2 < 0.8). Compatible {0.9, 0.2} vs incompatible {0.1, 0.3, 0.1, 0.8}:
        // 0.9 beats 4, 0.2 beats 2 → AUC 6/8.
        let scores = try FITBScores(scores: [[0.9, 0.1, 0.3], [0.1, 0.2, 0.8]], answers: [0, 1], skipped: 1, rule: "test")
        XCTAssertEqual(scores.accuracy, 0.5)
        XCTAssertEqual(scores.auc, 0.75)
        XCTAssertEqual([scores.questions, scores.skipped], [2, 1])
        XCTAssertLessThan(scores.accuracyLow, 0.5)
        XCTAssertGreaterThan(scores.accuracyHigh, 0.5)
        XCTAssertEqual(FITBScores.tableHeader.count, scores.row("m", trainingSeconds: 600).count)
        XCTAssertEqual(scores.row("m", trainingSeconds: 600)[4], "10 min")
    }
}
