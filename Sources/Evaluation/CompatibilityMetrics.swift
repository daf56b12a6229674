/// Outfit compatibility metrics. Distances: smaller = more similar; scores: larger = more compatible.
public enum CompatibilityMetrics {
    /// Fraction of triplets with d(anchor, positive) < d(anchor, negative). Equal distances count
    /// as failures, so a model that maps everything to one point scores 0.
    public static func tripletAccuracy(positiveDistances: [Double], negativeDistances: [Double]) throws -> Double {
        guard positiveDistances.count == negativeDistances.count else {
            throw EvaluationError.invalidInput("\(positiveDistances.count) positive but \(negativeDistances.count) negative distances")
        }
        guard !positiveDistances.isEmpty else { return 0 }
        let correct = zip(positiveDistances, negativeDistances).filter { $0 < $1 }.count
        return Double(correct) / Double(positiveDistances.count)
    }

    /// Fill-in-the-blank accuracy: a question is answered correctly when the right candidate's
    /// score is strictly higher than every other candidate's (ties count as wrong).
    public static func fillInTheBlankAccuracy(candidateScores: [[Double]], answers: [Int]) throws -> Double {
        guard candidateScores.count == answers.count else {
            throw EvaluationError.invalidInput("\(candidateScores.count) questions but \(answers.count) answers")
        }
        guard !answers.isEmpty else { return 0 }
        var correct = 0
        for (question, (scores, answer)) in zip(candidateScores, answers).enumerated() {
            guard scores.indices.contains(answer) else {
                throw EvaluationError.invalidInput("question \(question): answer \(answer) outside \(scores.count) candidates")
            }
            if scores.indices.allSatisfy({ $0 == answer || scores[$0] < scores[answer] }) { correct += 1 }
        }
        return Double(correct) / Double(answers.count)
    }

    /// Compatibility AUC: ROC AUC of outfit scores, compatible outfits as positives.
    public static func compatibilityAUC(compatibleScores: [Double], incompatibleScores: [Double]) throws -> Double {
        try ClassificationMetrics.rocAUC(positiveScores: compatibleScores, negativeScores: incompatibleScores)
    }

    /// The 95% Wilson score interval of an accuracy of `correct` out of `total` (independent questions;
    /// unlike the normal approximation it stays inside [0, 1] for small counts).
    public static func wilsonInterval(correct: Int, total: Int, z: Double = 1.959964) -> (low: Double, high: Double) {
        guard total > 0 else { return (0, 1) }
        let (n, p) = (Double(total), Double(correct) / Double(total))
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * ((p * (1 - p) / n + z * z / (4 * n * n))).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }
}
