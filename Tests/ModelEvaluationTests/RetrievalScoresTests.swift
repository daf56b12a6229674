import Datasets
import Evaluation
import Foundation
import ModelEvaluation
import Torch
import XCTest

/// Leave-one-out retrieval scores on vectors whose rankings are worked out by hand.
final class RetrievalScoresTests: XCTestCase {
    // a1 (1, 0) and a2 (0.6, 0.8) are label a; b1 (0, 1) and b2 (0.1, 0.9) label b; c (0.7, 0.7) is alone.
    // Cosine rankings, itself excluded:
    //   a1: c 0.707, a2 0.6, b2 0.110, b1 0      → first hit at rank 2: P@1 0, AP 1/2
    //   a2: c 0.990, b2 0.862, b1 0.8, a1 0.6    → hit at rank 4:       P@1 0, AP 1/4
    //   b1: b2 0.994, a2 0.8, …                  → P@1 1, AP 1
    //   b2: b1 0.994, a2 0.862, …                → P@1 1, AP 1
    //   c has no other photo of its label: ranked, but left out of the averages.
    private let vectors: [Float] = [1, 0, 0.6, 0.8, 0, 1, 0.1, 0.9, 0.7, 0.7]
    private let labels = ["a", "a", "b", "b", "c"]

    func testHandWorkedRankingsGiveTheirScoresAndLoneLabelsAreLeftOut() throws {
        var top: [[Int]] = []
        let scores = try RetrievalScores(gallery: Tensor(vectors, shape: [5, 2]), galleryLabels: labels, queryCount: 5, top: &top)
        XCTAssertEqual(top[0], [4, 1, 3, 2])
        XCTAssertEqual(top[1], [4, 3, 2, 0])
        XCTAssertFalse(top.enumerated().contains { q, ranked in ranked.contains(q) }, "a query never retrieves itself")
        XCTAssertEqual(scores.precisionAt1, 0.5, accuracy: 1e-12)
        XCTAssertEqual(scores.mAPAt10, (0.5 + 0.25 + 1 + 1) / 4, accuracy: 1e-12)
        XCTAssertEqual(scores.queries, 4)
        XCTAssertEqual(scores.unscorableQueries, 1)
        XCTAssertEqual(scores.asResults["unscorable_queries"], 1)
    }

    func testNoScorableQueryIsAnErrorNotZeros() throws {
        var top: [[Int]] = []
        XCTAssertThrowsError(try RetrievalScores(gallery: Tensor([1, 0, 0, 1], shape: [2, 2]), galleryLabels: ["a", "b"],
                                                 queryCount: 2, top: &top)) { error in
            XCTAssertTrue("\(error)".contains("no query has another photo of its label among the 2 photos"), "\(error)")
            XCTAssertEqual((error as? EvaluationError)?.category.exitCode, 4)
        }
    }

    func testUnseenClassQueriesAreScoredApartOverTheSameRanking() throws {
        // Class b held out: its queries b1, b2 (P@1 1, AP 1) apart from a1, a2 (P@1 0, AP 1/2 and 1/4).
        let photos = labels.enumerated().map { LabeledImage(url: URL(fileURLWithPath: "/p\($0.offset).jpg"), label: $0.element) }
        let scored = ScoredPhotos(photos: EvaluationPhotos(split: "validation", queries: photos),
                                  outputs: try Tensor(vectors, shape: [5, 2]), unreadable: [])
        var top: [[Int]] = []
        let scores = try HeldOutClassScores(scored, unseenClasses: ["b"], top: &top)
        XCTAssertEqual(top[1], [4, 3, 2, 0], "one ranking over the whole gallery")
        XCTAssertEqual(scores.unseen?.precisionAt1, 1)
        XCTAssertEqual(scores.unseen?.mAPAt10 ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(scores.seen?.precisionAt1, 0)
        XCTAssertEqual(scores.seen?.mAPAt10 ?? 0, (0.5 + 0.25) / 2, accuracy: 1e-12)
        XCTAssertEqual(scores.seen?.unscorableQueries, 1, "c is seen but has no partner")
        XCTAssertEqual(scores.quality["unseen P@1"], 1)
        XCTAssertEqual(scores.quality["P@1"], 0.5)
        XCTAssertNil(try HeldOutClassScores(scored, unseenClasses: [], top: &top).unseen)
    }
}
