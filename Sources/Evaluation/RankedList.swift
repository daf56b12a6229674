/// One query's ranked results: `correct[i]` says whether the result at rank i (0 = top) is relevant.
///
/// `relevantCount` is the number of relevant items in the whole gallery for this query (what
/// recall, AP and nDCG normalise by). When unknown it defaults to the number of correct results
/// in the list, and it is never smaller than that.
public struct RankedList: Sendable, Equatable {
    public var correct: [Bool]
    public var relevantCount: Int

    public init(correct: [Bool], relevantCount: Int? = nil) {
        let hits = correct.reduce(0) { $0 + ($1 ? 1 : 0) }
        self.correct = correct
        self.relevantCount = max(relevantCount ?? hits, hits)
    }

    /// Ranks a gallery by descending score; equal scores keep gallery order (lower index first),
    /// so results are deterministic. Only the top `limit` results are kept (all when nil).
    public init(scores: [Double], relevant: Set<Int>, limit: Int? = nil) {
        let order = topIndices(scores, k: limit ?? scores.count)
        self.init(correct: order.map { relevant.contains($0) }, relevantCount: relevant.count)
    }

    /// Number of relevant results among the first k.
    public func hits(at k: Int) -> Int {
        correct.prefix(max(k, 0)).reduce(0) { $0 + ($1 ? 1 : 0) }
    }
}

/// Indices of the k largest scores, best first; ties broken by lower index.
/// Keeps a sorted buffer of k so a 100k gallery costs O(n log k) for small k.
public func topIndices(_ scores: [Double], k: Int) -> [Int] {
    let k = min(max(k, 0), scores.count)
    guard k > 0 else { return [] }
    // Larger score first; equal scores: lower index first.
    func before(_ a: Int, _ b: Int) -> Bool {
        scores[a] != scores[b] ? scores[a] > scores[b] : a < b
    }
    if k * 8 >= scores.count {
        return Array(scores.indices.sorted(by: before).prefix(k))
    }
    var best: [Int] = []
    best.reserveCapacity(k + 1)
    for index in scores.indices {
        if best.count == k, !before(index, best[k - 1]) { continue }
        var low = 0, high = best.count
        while low < high {
            let mid = (low + high) / 2
            if before(best[mid], index) { low = mid + 1 } else { high = mid }
        }
        best.insert(index, at: low)
        if best.count > k { best.removeLast() }
    }
    return best
}
