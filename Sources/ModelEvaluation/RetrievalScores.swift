import Datasets
import Evaluation
import Experiments
import Foundation
import LookKitCore
import Search
import Torch

/// Retrieval quality of embeddings: each query ranks the gallery by cosine similarity (exact
/// search, itself excluded); a result is correct when its label equals the query's.
public struct RetrievalScores: Codable, Sendable {
    public static let k = 10
    public var precisionAt1 = 0.0, precisionAt5 = 0.0, precisionAt10 = 0.0
    public var mAPAt10 = 0.0, relevanceAt10 = 0.0, ndcgAt10 = 0.0
    public var queries = 0, galleryCount = 0, embeddingSize = 0
    /// Index size in bytes for float32 vectors.
    public var indexBytes = 0
    /// Photos that could not be read and were left out.
    public var unreadable = 0
    /// Queries left out of the averages because no other photo has their label.
    public var unscorableQueries = 0

    /// Scores `gallery` embeddings whose first `queryCount` rows are the queries; `top` receives
    /// each query's ranked gallery rows (for the report's grid).
    public init(gallery: Tensor, galleryLabels: [String], queryCount: Int, top: inout [[Int]]) throws {
        top = try Self.neighbours(gallery, queryCount: queryCount)
        try self.init(top: top, galleryLabels: galleryLabels, queries: Array(0..<queryCount))
        embeddingSize = gallery.shape[1]
        indexBytes = galleryLabels.count * embeddingSize * 4
    }

    /// Each query's `k` nearest gallery rows by cosine (exact search), the query itself left out.
    public static func neighbours(_ gallery: Tensor, queryCount: Int) throws -> [[Int]] {
        let n = gallery.shape[0], dimension = gallery.shape[1]
        let index = try ExactCosineIndex(dimension: dimension)
        let vectors = try gallery.floats()
        try index.add(vectors, ids: (0..<Int64(n)).map { $0 })
        // One more than k, so k remain once the query itself is dropped.
        let hits = try index.search(Array(vectors[0 ..< queryCount * dimension]), k: Swift.min(Self.k + 1, n))
        return hits.enumerated().map { q, found in Array(found.map { Int($0.id) }.filter { $0 != q }.prefix(Self.k)) }
    }

    /// Scores of the queries `queries` (rows of `top`, which are gallery rows too) from their ranked neighbours.
    public init(top: [[Int]], galleryLabels: [String], queries: [Int]) throws {
        let labelCounts = Dictionary(galleryLabels.map { ($0, 1) }, uniquingKeysWith: +)
        // A query with no other photo of its label cannot be scored (every metric would read 0 whatever
        // the model): it still ranks in `top`, but stays out of the averages, and is counted.
        let scorable = queries.filter { labelCounts[galleryLabels[$0]]! > 1 }
        guard !scorable.isEmpty else {
            throw EvaluationError.undefined("no query has another photo of its label among the \(galleryLabels.count) photos, so retrieval cannot be scored")
        }
        unscorableQueries = queries.count - scorable.count
        let lists = scorable.map { q in
            RankedList(correct: top[q].map { galleryLabels[$0] == galleryLabels[q] }, relevantCount: labelCounts[galleryLabels[q]]! - 1)
        }
        let at10 = RankingSummary(lists, k: 10)
        precisionAt1 = RankingSummary(lists, k: 1).precision
        precisionAt5 = RankingSummary(lists, k: 5).precision
        (precisionAt10, mAPAt10, relevanceAt10, ndcgAt10) = (at10.precision, at10.mAP, at10.relevance, at10.ndcg)
        (self.queries, galleryCount) = (scorable.count, galleryLabels.count)
    }

    /// Scores embedded photos; `top` indexes `scored.photos.gallery`.
    public init(_ scored: ScoredPhotos, top: inout [[Int]]) throws {
        try self.init(gallery: scored.outputs, galleryLabels: scored.photos.gallery.map(\.label),
                      queryCount: scored.photos.queries.count, top: &top)
        unreadable = scored.unreadable.count
    }

    /// Scores read back from a run's stored results of `split`.
    public init?(results: [ResultRecord], split: String = "test") {
        let values = Dictionary(results.filter { $0.split == split }.map { ($0.metric, $0.value) }, uniquingKeysWith: { _, b in b })
        guard let p1 = values["P@1"] else { return nil }
        precisionAt1 = p1
        precisionAt5 = values["P@5"] ?? .nan
        precisionAt10 = values["P@10"] ?? .nan
        mAPAt10 = values["mAP@10"] ?? .nan
        relevanceAt10 = values["relevance@10"] ?? .nan
        ndcgAt10 = values["nDCG@10"] ?? .nan
        embeddingSize = Int(values["embedding_size"] ?? 0)
        indexBytes = Int(values["index_bytes"] ?? 0)
    }

    /// The ranking metrics alone (what validation curves show).
    public var quality: [String: Double] {
        ["P@1": precisionAt1, "P@5": precisionAt5, "P@10": precisionAt10, "mAP@10": mAPAt10,
         "relevance@10": relevanceAt10, "nDCG@10": ndcgAt10]
    }

    /// Everything stored with a run: the metrics, sizes and counts.
    public var asResults: [String: Double] {
        quality.merging(["embedding_size": Double(embeddingSize), "index_bytes": Double(indexBytes),
                         "unreadable_photos": Double(unreadable), "unscorable_queries": Double(unscorableQueries)]) { a, _ in a }
    }

    /// The README's retrieval table, one row per named score.
    public static func table(_ rows: [(model: String, scores: RetrievalScores)]) -> MarkdownTable {
        let f = { (v: Double) in String(format: "%.3f", v) }
        return MarkdownTable(headers: ["model", "P@1", "P@5", "mAP@10", "relevance@10", "embedding size", "index size"], rows: rows.map { model, s in
            [model, f(s.precisionAt1), f(s.precisionAt5), f(s.mAPAt10), f(s.relevanceAt10), String(s.embeddingSize),
             String(format: "%.1f MB", Double(s.indexBytes) / 1e6)]
        })
    }
}
