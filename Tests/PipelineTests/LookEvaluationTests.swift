import Datasets
import Pipeline
import XCTest

final class LookEvaluationTests: XCTestCase {
    func testChecksCountedByHand() {
        let map = CategoryMap.fashionProductImages
        let p = { (g: String, c: String) in Recommendation.Product(id: "x", score: 0.5, gender: g, category: c) }
        let ok = Recommendation.PoseVerdictJSON(accepted: true, fullShot: true, frontFacing: true, reason: "")
        let first = Recommendation(photo: "1", pose: ok, gender: .init(label: "Women", score: 0.9), articles: [
            .init(class: "shoe", score: 0.9, box: [0, 0, 1, 1], similar: [p("Women", "Heels"), p("Unisex", "Casual Shoes"), p("Men", "Heels")]),
            .init(class: "dress", score: 0.8, box: [0, 0, 1, 1], similar: [p("Women", "Tops")]),
        ], completeTheLook: [.init(category: "bag", items: [p("Women", "Handbags"), p("Men", "Backpacks")])], timingsMs: ["total": 100, "detect": 40])
        let second = Recommendation(photo: "2", pose: .init(accepted: false, fullShot: false, frontFacing: true, reason: "cut"), gender: .init(label: "Men", score: 0.6),
                                    articles: [], completeTheLook: [], timingsMs: ["total": 300, "detect": 20])
        var evaluation = LookEvaluation()
        evaluation.add(first, trueClasses: ["shoe", "dress", "bag"], map: map)
        evaluation.add(second, trueClasses: ["pants"], map: map)
        evaluation.add(second, trueClasses: [], map: map)
        XCTAssertEqual(evaluation.photos, 3)
        XCTAssertEqual(evaluation.rejectedPoses, 2)
        XCTAssertEqual(evaluation.products, 6)
        XCTAssertEqual(evaluation.wrongGender, 2)  // the Men heels and the Men backpack for a Women wearer
        XCTAssertEqual(evaluation.similar, 4)
        XCTAssertEqual(evaluation.similarInMappedCategory, 3)  // Tops are not a dress category
        XCTAssertEqual(evaluation.coverage, [2.0 / 3.0, 0])  // a photo without labels has no coverage
        XCTAssertEqual(evaluation.meanCoverage, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(evaluation.share(coveringAtLeast: 0.6), 0.5)
        let latency = evaluation.latencyTable.rows
        XCTAssertEqual(latency.first { $0[0] == "total" }, ["total", "300.0", "300.0"])  // of 100, 300, 300
        XCTAssertEqual(latency.first { $0[0] == "detect" }, ["detect", "20.0", "40.0"])  // of 20, 20, 40: p90 rounds to the top rank
    }
}
