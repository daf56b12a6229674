import Evaluation
import Foundation
import TestSupport
import XCTest

final class RetrievalMetricsTests: XCTestCase {
    // Y = [1, 0, 1, 0, 0], 3 relevant items in the gallery (one never retrieved).
    let list = RankedList(correct: [true, false, true, false, false], relevantCount: 3)

    func testPrecisionRecallAtK() {
        XCTAssertEqual(RetrievalMetrics.precision(list, k: 1), 1)
        XCTAssertEqual(RetrievalMetrics.precision(list, k: 3), 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.recall(list, k: 3), 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.recall(list, k: 1), 1.0 / 3, accuracy: 1e-15)
    }

    func testAveragePrecisionUsesMinKRelevant() {
        // k = 3: (1/1 + 2/3) / min(3, 3) = 5/9.
        XCTAssertEqual(RetrievalMetrics.averagePrecision(list, k: 3), 5.0 / 9, accuracy: 1e-15)
        // k = 1: 1 / min(1, 3) = 1: a perfect top-1 is perfect even with 3 relevant items.
        XCTAssertEqual(RetrievalMetrics.averagePrecision(list, k: 1), 1)
        // k = 2: (1/1) / 2.
        XCTAssertEqual(RetrievalMetrics.averagePrecision(list, k: 2), 0.5)
    }

    func testNDCG() {
        // DCG@3 = 1 + 1/log2(4) = 1.5; IDCG@3 = 1 + 1/log2(3) + 1/2.
        XCTAssertEqual(RetrievalMetrics.ndcg(list, k: 3), 1.5 / (1.5 + 1 / log2(3.0)), accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.ndcg(RankedList(correct: [false, true]), k: 2), (1 / log2(3.0)) / 1, accuracy: 1e-15)
    }

    func testRelevanceWorkedExample() {
        // n = 3: weights 3, 2, 1 (sum 6).
        XCTAssertEqual(RetrievalMetrics.relevance(RankedList(correct: [true, false, true]), n: 3), 4.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.relevance(RankedList(correct: [false, true, true]), n: 3), 0.5, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.relevance(RankedList(correct: [true, true, false]), n: 3), 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.relevance(list, n: 5), (5.0 + 3) / 15, accuracy: 1e-15)
    }

    func testEmptyRelevantSetScoresZero() {
        let none = RankedList(correct: [false, false, false])
        XCTAssertEqual(none.relevantCount, 0)
        for value in [RetrievalMetrics.precision(none, k: 3), RetrievalMetrics.recall(none, k: 3),
                      RetrievalMetrics.averagePrecision(none, k: 3), RetrievalMetrics.ndcg(none, k: 3),
                      RetrievalMetrics.relevance(none, n: 3)] {
            XCTAssertEqual(value, 0)
        }
        XCTAssertEqual(RankingSummary([], k: 10).mAP, 0)
    }

    func testKLargerThanGallery() {
        // Gallery of 2, both correct, k = 5: missing ranks count as wrong for P and relevance.
        let short = RankedList(correct: [true, true])
        XCTAssertEqual(RetrievalMetrics.precision(short, k: 5), 0.4, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.recall(short, k: 5), 1)
        XCTAssertEqual(RetrievalMetrics.averagePrecision(short, k: 5), 1)
        XCTAssertEqual(RetrievalMetrics.ndcg(short, k: 5), 1, accuracy: 1e-15)
        XCTAssertEqual(RetrievalMetrics.relevance(short, n: 5), 9.0 / 15, accuracy: 1e-15)
    }

    func testScoresWithTiesRankByGalleryIndex() {
        // Items 1 and 3 tie at 0.8 (1 first), item 0 is relevant with the top score.
        let ranked = RankedList(scores: [0.9, 0.8, 0.1, 0.8, 0.5], relevant: [0, 3], limit: 3)
        XCTAssertEqual(ranked.correct, [true, false, true])
        XCTAssertEqual(ranked.relevantCount, 2)
        XCTAssertEqual(RetrievalMetrics.averagePrecision(ranked, k: 3), (1 + 2.0 / 3) / 2, accuracy: 1e-15)
    }

    func testTopIndicesMatchesFullSortOnLargeGallery() {
        var random = SeededRandom(seed: 7)
        // Coarse scores so that many ties occur.
        let scores = (0..<100_000).map { _ in Double(Int.random(in: 0..<5_000, using: &random)) }
        let full = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        XCTAssertEqual(topIndices(scores, k: 10), Array(full.prefix(10)))
        XCTAssertEqual(topIndices(scores, k: 50_000), Array(full.prefix(50_000)))
        XCTAssertEqual(topIndices([1, 2], k: 5), [1, 0])
    }

    func testSummaryAveragesQueries() {
        let summary = RankingSummary([list, RankedList(correct: [false, true, false])], k: 3)
        XCTAssertEqual(summary.queryCount, 2)
        XCTAssertEqual(summary.precision, (2.0 / 3 + 1.0 / 3) / 2, accuracy: 1e-15)
        XCTAssertEqual(summary.mAP, (5.0 / 9 + 0.5 / 1) / 2, accuracy: 1e-15)
        XCTAssertEqual(summary.relevance, (4.0 / 6 + 2.0 / 6) / 2, accuracy: 1e-15)
    }

    func testRankingCSV() throws {
        let root = try temporaryDirectory("ranking")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("results.csv")
        try "query_id,rank,item_id,correct\nq2,2,b,0\nq1,1,x,1\nq2,1,a,1\nq1,2,y,false\n".write(to: file, atomically: true, encoding: .utf8)
        let queries = try RankingCSV.read(file)
        XCTAssertEqual(queries.map(\.id), ["q2", "q1"])
        XCTAssertEqual(queries[0].items, ["a", "b"])
        XCTAssertEqual(queries[0].list.correct, [true, false])
        try "q1,1,x,1\nq1,1,y,0\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RankingCSV.read(file)) { error in
            XCTAssertEqual("\(error)", "\(file.path):2: query 'q1' repeats rank 1 (first on line 1)")
        }
        try "q1,1,x,maybe\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RankingCSV.read(file)) { error in
            XCTAssertEqual("\(error)", "\(file.path):1: correct 'maybe' is not 1/0/true/false")
        }
    }
}
