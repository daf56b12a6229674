import LookKitCore

/// Retrieval scores split by whether the query's class was trained on. Unseen classes stand for
/// what users get on their own catalog (classes no model saw); seen ones for the training classes.
public struct HeldOutClassScores: Sendable, Encodable {
    public let all: RetrievalScores
    public let seen: RetrievalScores?
    public let unseen: RetrievalScores?

    /// Every query ranks the whole gallery once (seen and unseen photos mixed, as in a shop's
    /// catalog); the averages are then taken over each group of queries.
    public init(_ scored: ScoredPhotos, unseenClasses: Set<String>, top: inout [[Int]]) throws {
        all = try RetrievalScores(scored, top: &top)
        let labels = scored.photos.gallery.map(\.label)
        let queries = scored.photos.queries.indices
        let (neighbours, unseenRows) = (top, queries.filter { unseenClasses.contains(labels[$0]) })
        let all = all
        let score = { (rows: [Int]) -> RetrievalScores? in
            guard !rows.isEmpty, var scores = try? RetrievalScores(top: neighbours, galleryLabels: labels, queries: rows) else { return nil }
            (scores.embeddingSize, scores.indexBytes) = (all.embeddingSize, all.indexBytes)
            return scores
        }
        // Without held-out classes there are no groups: every class is seen.
        unseen = score(unseenRows)
        seen = unseenClasses.isEmpty ? nil : score(queries.filter { !unseenClasses.contains(labels[$0]) })
    }

    /// The ranking metrics of all queries, then of each group as "seen P@5", "unseen mAP@10"…
    public var quality: [String: Double] {
        var values = all.quality
        for (group, scores) in [("seen", seen), ("unseen", unseen)] {
            for (metric, value) in scores?.quality ?? [:] { values["\(group) \(metric)"] = value }
        }
        return values
    }

    /// What the run log stores: `all`'s results plus each group's metrics.
    public var asResults: [String: Double] { all.asResults.merging(quality) { _, group in group } }

    /// The class-held-out table: seen and unseen classes side by side, one row per model.
    public static func table(_ rows: [(model: String, scores: HeldOutClassScores, trainingSeconds: Double?)]) -> MarkdownTable {
        let f = { (v: Double?) in v.map { String(format: "%.3f", $0) } ?? "–" }
        return MarkdownTable(headers: ["model", "seen P@1", "seen P@5", "seen mAP@10", "unseen P@1", "unseen P@5", "unseen mAP@10",
                                       "embedding size", "training time"], rows: rows.map { model, s, seconds in
            [model, f(s.seen?.precisionAt1), f(s.seen?.precisionAt5), f(s.seen?.mAPAt10), f(s.unseen?.precisionAt1),
             f(s.unseen?.precisionAt5), f(s.unseen?.mAPAt10), String(s.all.embeddingSize), trainingTimeCell(seconds)]
        })
    }

    /// One model's row: seen and unseen classes apart when classes were held out, else the plain retrieval table.
    public func table(_ model: String, trainingSeconds: Double? = nil) -> MarkdownTable {
        unseen == nil ? RetrievalScores.table([(model, all)]) : Self.table([(model, self, trainingSeconds)])
    }

    /// JSON: `all`'s fields at the top level (as `eval embedder --json` always printed), then "seen"
    /// and "unseen" objects when the run held classes out.
    public func encode(to encoder: Encoder) throws {
        try all.encode(to: encoder)
        var groups = encoder.container(keyedBy: GroupKey.self)
        try groups.encodeIfPresent(seen, forKey: .seen)
        try groups.encodeIfPresent(unseen, forKey: .unseen)
    }

    private enum GroupKey: String, CodingKey { case seen, unseen }
}
