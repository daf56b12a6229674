import Evaluation
import LookKitCore
import XCTest

/// Counts worked out by hand with ultralytics' ConfusionMatrix.process_batch rules.
final class DetectionConfusionTests: XCTestCase {
    func box(_ x: Double, _ y: Double, _ w: Double = 10, _ h: Double = 10) -> Box { Box(x1: x, y1: y, x2: x + w, y2: y + h) }

    func testMatchesMissesAndFalseAlarms() {
        var matrix = DetectionConfusion(classes: 2)
        let labels = [LabeledBox(classID: 0, box: box(0, 0)), LabeledBox(classID: 1, box: box(50, 50)), LabeledBox(classID: 1, box: box(100, 0))]
        let predictions = [
            ScoredBox(classID: 0, box: box(1, 0), confidence: 0.9),     // label 0, right class
            ScoredBox(classID: 0, box: box(50, 51), confidence: 0.8),   // label 1, wrong class
            ScoredBox(classID: 1, box: box(200, 200), confidence: 0.7), // nothing there: false alarm
            ScoredBox(classID: 1, box: box(100, 0), confidence: 0.2),   // below 0.25: ignored, so label 2 is missed
        ]
        matrix.add(labels: labels, predictions: predictions)
        // Rows true (then background), columns predicted (then background).
        XCTAssertEqual(matrix.counts, [[1, 0, 0],
                                       [1, 0, 1],
                                       [0, 1, 0]])
    }

    /// Two predictions on one label: the better one matches, the other is a false alarm.
    func testOneMatchPerLabel() {
        var matrix = DetectionConfusion(classes: 1)
        matrix.add(labels: [LabeledBox(classID: 0, box: box(0, 0))],
                   predictions: [ScoredBox(classID: 0, box: box(2, 0), confidence: 0.9), ScoredBox(classID: 0, box: box(0, 0), confidence: 0.5)])
        XCTAssertEqual(matrix.counts, [[1, 0], [1, 0]])
        XCTAssertEqual(matrix.table(names: ["shirt"]).rows, [["shirt", "1", "0"], ["background", "1", ""]])
    }
}
