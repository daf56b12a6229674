import Evaluation
import XCTest

final class ClassificationMetricsTests: XCTestCase {
    // truth:     0 0 0 1 1 2 2 2 2
    // predicted: 0 1 0 1 2 2 2 0 2  -> class 3 never occurs.
    func matrix() throws -> ConfusionMatrix {
        try ConfusionMatrix(classCount: 4, truth: [0, 0, 0, 1, 1, 2, 2, 2, 2], predicted: [0, 1, 0, 1, 2, 2, 2, 0, 2])
    }

    func testCountsAndAccuracy() throws {
        let m = try matrix()
        XCTAssertEqual(m.counts, [[2, 1, 0, 0], [0, 1, 1, 0], [1, 0, 3, 0], [0, 0, 0, 0]])
        XCTAssertEqual(m.accuracy, 6.0 / 9, accuracy: 1e-15)
    }

    func testPerClassAndMacroF1() throws {
        let m = try matrix()
        // class 0: P 2/3, R 2/3; class 1: P 1/2, R 1/2; class 2: P 3/4, R 3/4.
        XCTAssertEqual(m.precision(0), 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.recall(2), 0.75, accuracy: 1e-15)
        XCTAssertEqual(m.f1(1), 0.5, accuracy: 1e-15)
        XCTAssertEqual(m.f1(3), 0, "absent class: zero_division=0")
        XCTAssertEqual(m.presentClasses, [0, 1, 2])
        XCTAssertEqual(m.macroF1, (2.0 / 3 + 0.5 + 0.75) / 3, accuracy: 1e-15)
    }

    func testOutOfRangeLabelThrows() {
        XCTAssertThrowsError(try ConfusionMatrix(classCount: 2, truth: [0, 2], predicted: [0, 1]))
        XCTAssertThrowsError(try ConfusionMatrix(classCount: 2, truth: [0], predicted: [0, 1]))
    }

    func testROCAUCWithTies() throws {
        // Positives 0.9, 0.5, 0.5; negatives 0.5, 0.1. Pairs: (0.9 beats both) 2, (0.5 vs 0.5 tie) 0.5
        // and (0.5 beats 0.1) 1, twice -> (2 + 1.5 + 1.5) / 6.
        let auc = try ClassificationMetrics.rocAUC(scores: [0.9, 0.5, 0.5, 0.5, 0.1], labels: [true, true, true, false, false])
        XCTAssertEqual(auc, 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(try ClassificationMetrics.rocAUC(scores: [1, 1, 1], labels: [true, false, false]), 0.5)
        XCTAssertEqual(try ClassificationMetrics.rocAUC(positiveScores: [0.1], negativeScores: [0.2, 0.3]), 0)
        XCTAssertThrowsError(try ClassificationMetrics.rocAUC(scores: [0.1, 0.2], labels: [true, true]))
        XCTAssertThrowsError(try ClassificationMetrics.rocAUC(scores: [.nan, 0.2], labels: [true, false]))
    }

    func testCompatibilityMetrics() throws {
        XCTAssertEqual(try CompatibilityMetrics.tripletAccuracy(positiveDistances: [0.1, 0.5, 0.3, 0.2], negativeDistances: [0.2, 0.4, 0.3, 0.9]), 0.5)
        // Question 2 ties between its answer and another candidate: counted wrong.
        let fitb = try CompatibilityMetrics.fillInTheBlankAccuracy(
            candidateScores: [[0.9, 0.1, 0.2, 0.3], [0.1, 0.2, 0.8, 0.3], [0.5, 0.5, 0.1, 0.0]], answers: [0, 1, 0])
        XCTAssertEqual(fitb, 1.0 / 3, accuracy: 1e-15)
        XCTAssertThrowsError(try CompatibilityMetrics.fillInTheBlankAccuracy(candidateScores: [[0.1]], answers: [3]))
        XCTAssertEqual(try CompatibilityMetrics.compatibilityAUC(compatibleScores: [0.8, 0.7], incompatibleScores: [0.75, 0.1]), 0.75)
    }

    func testWilsonIntervalMatchesPublishedValues() {
        // Wilson 95% intervals as tabulated (e.g. Newcombe 1998): 50/100 → [0.4038, 0.5962], 0/10 → [0, 0.2775].
        let half = CompatibilityMetrics.wilsonInterval(correct: 50, total: 100)
        XCTAssertEqual(half.low, 0.403832, accuracy: 1e-6)
        XCTAssertEqual(half.high, 0.596168, accuracy: 1e-6)
        let none = CompatibilityMetrics.wilsonInterval(correct: 0, total: 10)
        XCTAssertEqual(none.low, 0, accuracy: 1e-12)
        XCTAssertEqual(none.high, 0.277533, accuracy: 1e-6)
        XCTAssertEqual(CompatibilityMetrics.wilsonInterval(correct: 193, total: 193).low, 0.980485, accuracy: 1e-6)
    }
}

