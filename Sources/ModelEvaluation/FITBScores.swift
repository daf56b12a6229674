import Datasets
import Evaluation
import Foundation
import LookKitCore
import Torch

/// Fill-in-the-blank accuracy of an embedding network by the mean-cosine rule: each question's answer
/// is the candidate whose embedding has the highest mean cosine similarity to the context items'
/// (the baseline rule for ImageNet features and the similarity embedder). Each image is embedded once;
/// a question with an unreadable image is skipped and counted.
public struct FITBScores: Encodable, Sendable {
    public let accuracy: Double
    public let questions: Int
    public let skipped: Int
    public let rule: String

    /// Numbers scored elsewhere (a style embedder's distances).
    public init(accuracy: Double, questions: Int, skipped: Int, rule: String) {
        (self.accuracy, self.questions, self.skipped, self.rule) = (accuracy, questions, skipped, rule)
    }

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
        accuracy = try CompatibilityMetrics.fillInTheBlankAccuracy(candidateScores: scores, answers: answerable.map(\.answer))
        (self.questions, self.skipped, rule) = (answerable.count, skipped + questions.count - answerable.count, "mean-cosine")
    }
}
