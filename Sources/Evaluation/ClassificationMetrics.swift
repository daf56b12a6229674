/// Confusion matrix and the metrics derived from it. `counts[truth][predicted]`.
///
/// Per-class precision/recall/F1 are 0 when their denominator is 0 (scikit-learn's
/// `zero_division=0`). Macro averages run over the classes that occur in the truth or the
/// predictions, as scikit-learn does when `labels` is not given.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classCount: Int
    public private(set) var counts: [[Int]]

    public init(classCount: Int) {
        self.classCount = classCount
        counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    }

    public init(classCount: Int, truth: [Int], predicted: [Int]) throws {
        guard truth.count == predicted.count else {
            throw EvaluationError.invalidInput("\(truth.count) labels but \(predicted.count) predictions")
        }
        self.init(classCount: classCount)
        for (t, p) in zip(truth, predicted) { try add(truth: t, predicted: p) }
    }

    public mutating func add(truth: Int, predicted: Int) throws {
        guard (0..<classCount).contains(truth), (0..<classCount).contains(predicted) else {
            throw EvaluationError.invalidInput("label \(truth) or prediction \(predicted) outside 0..<\(classCount)")
        }
        counts[truth][predicted] += 1
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var accuracy: Double {
        total > 0 ? Double((0..<classCount).reduce(0) { $0 + counts[$1][$1] }) / Double(total) : 0
    }

    func truthCount(_ c: Int) -> Int { counts[c].reduce(0, +) }
    func predictedCount(_ c: Int) -> Int { counts.reduce(0) { $0 + $1[c] } }

    public func precision(_ c: Int) -> Double { ratio(counts[c][c], predictedCount(c)) }
    public func recall(_ c: Int) -> Double { ratio(counts[c][c], truthCount(c)) }
    public func f1(_ c: Int) -> Double {
        let p = precision(c), r = recall(c)
        return p + r > 0 ? 2 * p * r / (p + r) : 0
    }

    /// Classes seen in the truth or the predictions.
    public var presentClasses: [Int] {
        (0..<classCount).filter { truthCount($0) + predictedCount($0) > 0 }
    }
    public var macroF1: Double {
        let present = presentClasses
        return present.isEmpty ? 0 : present.reduce(0.0) { $0 + f1($1) } / Double(present.count)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : 0 }
}

public enum ClassificationMetrics {
    /// Binary ROC AUC: the probability that a random positive scores above a random negative,
    /// ties counting one half (Mann–Whitney U with average ranks; equals scikit-learn's
    /// `roc_auc_score`). Throws when either class is missing or a score is NaN.
    public static func rocAUC(scores: [Double], labels: [Bool]) throws -> Double {
        guard scores.count == labels.count else {
            throw EvaluationError.invalidInput("\(scores.count) scores but \(labels.count) labels")
        }
        guard !scores.contains(where: \.isNaN) else { throw EvaluationError.invalidInput("NaN score") }
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else {
            throw EvaluationError.undefined("ROC AUC needs both positive and negative examples")
        }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1  // 1-based ranks, ties share their mean
            for i in start...end where labels[order[i]] { positiveRankSum += averageRank }
            start = end + 1
        }
        let u = positiveRankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    /// Binary ROC AUC from the scores of positive and negative examples separately.
    public static func rocAUC(positiveScores: [Double], negativeScores: [Double]) throws -> Double {
        try rocAUC(scores: positiveScores + negativeScores,
                   labels: Array(repeating: true, count: positiveScores.count)
                       + Array(repeating: false, count: negativeScores.count))
    }
}
