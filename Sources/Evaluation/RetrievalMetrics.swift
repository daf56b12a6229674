import Foundation

/// Per-query retrieval metrics at cut-off k, for binary relevance.
///
/// Conventions (the common ones, e.g. torchmetrics / TREC):
/// - precision@k = hits in the top k / k. A list shorter than k (k larger than the gallery) still
///   divides by k: missing results count as wrong.
/// - recall@k = hits in the top k / relevantCount; 0 when the query has no relevant items.
/// - AP@k = Σ_{i<k} precision@(i+1)·Y_i / min(k, relevantCount); 0 when no relevant items.
///   The normaliser min(k, #relevant) makes a perfect top-k list score 1 even when more than k
///   items are relevant.
/// - nDCG@k with binary gains: DCG = Σ_{i<k} Y_i / log2(i + 2), divided by the ideal DCG of
///   min(k, relevantCount) hits at the top; 0 when no relevant items.
/// - relevance@n = Σ_{i<n} Y_i·(n − i) / Σ_{i<n} (n − i): each correct result earns weight n − i,
///   so it rewards both how many results are correct and how high they rank. Missing results
///   (list shorter than n) count as incorrect. Worked example, n = 3, Y = [1, 0, 1]:
///   weights 3, 2, 1 sum to 6; correct ranks earn 3 + 1 = 4; relevance@3 = 4 / 6 ≈ 0.667.
///   [0, 1, 1] scores (2 + 1) / 6 = 0.5 and [1, 1, 0] scores 5 / 6 ≈ 0.833.
public enum RetrievalMetrics {
    public static func precision(_ list: RankedList, k: Int) -> Double {
        k > 0 ? Double(list.hits(at: k)) / Double(k) : 0
    }

    public static func recall(_ list: RankedList, k: Int) -> Double {
        list.relevantCount > 0 ? Double(list.hits(at: k)) / Double(list.relevantCount) : 0
    }

    public static func averagePrecision(_ list: RankedList, k: Int) -> Double {
        let normaliser = min(k, list.relevantCount)
        guard normaliser > 0 else { return 0 }
        var hits = 0
        var sum = 0.0
        for (rank, isCorrect) in list.correct.prefix(k).enumerated() where isCorrect {
            hits += 1
            sum += Double(hits) / Double(rank + 1)
        }
        return sum / Double(normaliser)
    }

    public static func ndcg(_ list: RankedList, k: Int) -> Double {
        let idealHits = min(k, list.relevantCount)
        guard idealHits > 0 else { return 0 }
        let gain = { (rank: Int) in 1 / log2(Double(rank + 2)) }
        let dcg = list.correct.prefix(k).enumerated().reduce(0.0) { $0 + ($1.element ? gain($1.offset) : 0) }
        let ideal = (0..<idealHits).reduce(0.0) { $0 + gain($1) }
        return dcg / ideal
    }

    public static func relevance(_ list: RankedList, n: Int) -> Double {
        guard n > 0 else { return 0 }
        let earned = list.correct.prefix(n).enumerated().reduce(0) { $0 + ($1.element ? n - $1.offset : 0) }
        return Double(earned) / Double(n * (n + 1) / 2)
    }
}

/// Retrieval metrics at k averaged over queries (every query weighs the same).
public struct RankingSummary: Sendable, Equatable, Codable {
    public var k: Int
    public var queryCount: Int
    public var precision: Double
    public var recall: Double
    public var mAP: Double
    public var ndcg: Double
    public var relevance: Double

    public init(_ lists: [RankedList], k: Int) {
        func mean(_ metric: (RankedList) -> Double) -> Double {
            lists.isEmpty ? 0 : lists.reduce(0.0) { $0 + metric($1) } / Double(lists.count)
        }
        self.k = k
        queryCount = lists.count
        precision = mean { RetrievalMetrics.precision($0, k: k) }
        recall = mean { RetrievalMetrics.recall($0, k: k) }
        mAP = mean { RetrievalMetrics.averagePrecision($0, k: k) }
        ndcg = mean { RetrievalMetrics.ndcg($0, k: k) }
        relevance = mean { RetrievalMetrics.relevance($0, n: k) }
    }
}
