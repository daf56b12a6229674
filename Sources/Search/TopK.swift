/// The `k` largest (score, row) pairs seen so far, as a min-heap: `threshold` is the score a new
/// candidate must beat, so most rows are rejected with one comparison.
struct TopK {
    let k: Int
    private(set) var scores: [Float] = []
    private(set) var rows: [Int] = []

    init(k: Int) {
        self.k = k
        scores.reserveCapacity(k)
        rows.reserveCapacity(k)
    }

    var threshold: Float { scores.count < k ? -.infinity : scores[0] }

    mutating func push(_ score: Float, row: Int) {
        if scores.count < k {
            scores.append(score)
            rows.append(row)
            siftUp(scores.count - 1)
        } else if score > scores[0] {
            scores[0] = score
            rows[0] = row
            siftDown(0)
        }
    }

    mutating func merge(_ other: TopK) {
        for i in other.scores.indices { push(other.scores[i], row: other.rows[i]) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard scores[child] < scores[parent] else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < scores.count && scores[left] < scores[smallest] { smallest = left }
            if right < scores.count && scores[right] < scores[smallest] { smallest = right }
            guard smallest != parent else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        scores.swapAt(a, b)
        rows.swapAt(a, b)
    }
}
