import Datasets
import Evaluation
import Foundation
import LookKitCore
import Torch

/// Fill-in-the-blank scores of one model on a question set: accuracy with its 95% Wilson interval,
/// and the compatibility AUC of the same scores (each question's true item against its distractors).
public struct FITBScores: Encodable, Sendable {
    public let accuracy: Double
    public let accuracyLow: Double, accuracyHigh: Double
    public let auc: Double
    public let questions: Int
    public let skipped: Int
    public let rule: String

    enum CodingKeys: String, CodingKey {
        case accuracy, auc, questions, skipped, rule
        case accuracyLow = "accuracy_low", accuracyHigh = "accuracy_high"
    }

    /// `scores[q][c]`: how well candidate c completes question q (higher: more compatible).
    public init(scores: [[Double]], answers: [Int], skipped: Int, rule: String) throws {
        accuracy = try CompatibilityMetrics.fillInTheBlankAccuracy(candidateScores: scores, answers: answers)
        (accuracyLow, accuracyHigh) = CompatibilityMetrics.wilsonInterval(correct: Int((accuracy * Double(answers.count)).rounded()), total: answers.count)
        let compatible = zip(scores, answers).map { $0[$1] }
        let incompatible = zip(scores, answers).flatMap { s, a in s.indices.filter { $0 != a }.map { s[$0] } }
        auc = compatible.isEmpty ? .nan : try CompatibilityMetrics.compatibilityAUC(compatibleScores: compatible, incompatibleScores: incompatible)
        (questions, self.skipped, self.rule) = (answers.count, skipped, rule)
    }

    /// The mean-cosine rule for an embedding network (ImageNet features, the similarity embedder): each
    /// candidate scores its mean cosine similarity to the context items. Each image is embedded once; a
    /// question with an unreadable image is skipped and counted.
    public init(network: TaskNetwork, questions: [FITBFileQuestion], skipped: Int, images: URL, size: Int, workers: Int,
                device: Device) throws {
        let ids = Array(Set(questions.flatMap { $0.context + $0.candidates })).sorted()
        let photos = ids.map { LabeledImage(url: FITBFile.image(for: $0, in: images), label: "item") }
        var unreadable = Set<String>()
        let rows = try network.outputs(for: photos, size: size, workers: workers, device: device, label: "fitb") { failure in
            FileHandle.standardError.write(Data("skipped \(failure.name): \(failure.error)\n".utf8))
            unreadable.insert(ids[failure.index])
        }
        let readable = ids.filter { !unreadable.contains($0) }
        let vectors = try rows.normalized(dim: 1).floats(), width = rows.shape[1]
        let row = Dictionary(uniqueKeysWithValues: readable.enumerated().map { ($1, $0) })
        func cosine(_ a: String, _ b: String) -> Double {
            let (i, j) = (row[a]! * width, row[b]! * width)
            return (0..<width).reduce(0) { $0 + Double(vectors[i + $1] * vectors[j + $1]) }
        }
        let answerable = questions.filter { ($0.context + $0.candidates).allSatisfy { row[$0] != nil } }
        let scores = answerable.map { q in q.candidates.map { c in q.context.reduce(0) { $0 + cosine($1, c) } / Double(q.context.count) } }
        try self.init(scores: scores, answers: answerable.map(\.answer), skipped: skipped + questions.count - answerable.count, rule: "mean-cosine")
    }

    /// The floor: candidates scored at random (seeded), on the same questions.
    public static func random(_ questions: [FITBFileQuestion], skipped: Int, seed: UInt64) throws -> FITBScores {
        var generator = SeededGenerator(seed: seed)
        return try FITBScores(scores: questions.map { q in q.candidates.map { _ in Double.random(in: 0..<1, using: &generator) } },
                              answers: questions.map(\.answer), skipped: skipped, rule: "random")
    }

    /// One row of the FITB results table.
    public func row(_ name: String, trainingSeconds: Double?) -> [String] {
        [name, String(format: "%.3f [%.3f, %.3f]", accuracy, accuracyLow, accuracyHigh), String(format: "%.3f", auc), String(questions),
         trainingTimeCell(trainingSeconds)]
    }

    public static let tableHeader = ["model", "FITB accuracy [95% CI]", "compatibility AUC", "questions", "training time"]
}

/// A results table's training-time cell: whole minutes, or "–" for models that did not train.
func trainingTimeCell(_ seconds: Double?) -> String { seconds.map { String(format: "%.0f min", $0 / 60) } ?? "–" }
