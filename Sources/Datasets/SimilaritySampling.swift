/// (anchor, same-class positive, other-class negative) indices into a labelled list.
public struct SimilarityTriplet: Sendable, Hashable {
    public let anchor, positive, negative: Int
}

/// `count` random triplets for a Siamese / triplet-loss embedder; classes need ≥ 2 examples to anchor.
public func similarityTriplets(labels: [String], count: Int, seed: UInt64) -> [SimilarityTriplet] {
    let byClass = Dictionary(grouping: labels.indices, by: { labels[$0] })
    let anchorable = byClass.keys.sorted().filter { byClass[$0]!.count >= 2 }
    guard !anchorable.isEmpty, byClass.count >= 2 else { return [] }
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        let label = anchorable.randomElement(using: &generator)!
        let members = byClass[label]!
        let a = Int.random(in: 0..<members.count, using: &generator)
        var p = Int.random(in: 0..<(members.count - 1), using: &generator)
        if p >= a { p += 1 }
        var negative: Int
        repeat { negative = Int.random(in: 0..<labels.count, using: &generator) } while labels[negative] == label
        return SimilarityTriplet(anchor: members[a], positive: members[p], negative: negative)
    }
}

/// Batches of P classes × K examples for batch-hard triplet mining. Each epoch shuffles every
/// class's examples and deals them out K at a time; a class with fewer than K examples repeats some.
public struct PKBatchSampler: Sendable {
    public let p, k: Int
    let byClass: [(label: String, members: [Int])]
    let seed: UInt64

    public init(labels: [String], p: Int, k: Int, seed: UInt64) throws {
        let grouped = Dictionary(grouping: labels.indices, by: { labels[$0] })
        guard p >= 2, k >= 1, grouped.count >= p else {
            throw VisionError("P×K batches need p ≥ 2 classes (have \(grouped.count)) and k ≥ 1")
        }
        (self.p, self.k, self.seed) = (p, k, seed)
        byClass = grouped.keys.sorted().map { ($0, grouped[$0]!) }
    }

    /// Index batches for one epoch: each batch holds exactly P distinct classes, K indices each.
    public func batches(epoch: Int) -> [[Int]] {
        var generator = SeededGenerator.derived(seed, epoch)
        // Deal each class's shuffled members into chunks of K (padding the last chunk by repetition).
        var chunks: [(label: Int, indices: [Int])] = []
        for (c, entry) in byClass.enumerated() {
            let members = entry.members.shuffled(using: &generator)
            for start in stride(from: 0, to: members.count, by: k) {
                var chunk = Array(members[start..<min(start + k, members.count)])
                while chunk.count < k { chunk.append(members.randomElement(using: &generator)!) }
                chunks.append((c, chunk))
            }
        }
        chunks.shuffle(using: &generator)
        // Fill batches greedily with chunks of classes not yet in the batch.
        var batches: [[Int]] = [], pending = chunks
        while true {
            var batch: [Int] = [], used = Set<Int>(), rest: [(label: Int, indices: [Int])] = []
            for chunk in pending {
                if used.count < p, used.insert(chunk.label).inserted { batch += chunk.indices } else { rest.append(chunk) }
            }
            guard used.count == p else { break }
            batches.append(batch)
            pending = rest
        }
        return batches
    }
}
