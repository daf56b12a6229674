import Datasets
import Foundation
import LookKitCore
import Torch

/// Where the wearer's gender is read from. The classifier learned it from product photos; on a
/// street photo it sees either the whole photo or, one at a time, the garments the detector found
/// (closer to what it trained on), whose class probabilities are averaged weighted by detection confidence.
/// On 199 hand-labelled street photos the garment vote is right more often (0.739 vs 0.658 with the
/// fine-tuned classifier; `lookkit eval wearer-gender`), so it is the default.
public enum GenderSource: String, CaseIterable, Sendable {
    case photo, garments
}

/// The gender classifier applied to a person.
public struct PersonGender: Sendable {
    public let classifier: PhotoNetwork

    public init(classifier: PhotoNetwork) { self.classifier = classifier }

    /// The most probable class and its probability. With `.garments` and no garment found, the whole photo decides.
    public func callAsFunction(photo: Image, garments: [(crop: Image, confidence: Double)], source: GenderSource) throws -> Recommendation.GenderJSON {
        let probabilities: [Float]
        if source == .garments, !garments.isEmpty {
            let rows = try classifier.outputs(garments.map(\.crop)).softmax(dim: 1).floats()
            let classes = classifier.classes.count
            let weights = garments.map { Float($0.confidence) }, total = weights.reduce(0, +)
            probabilities = (0..<classes).map { c in
                zip(weights, 0...).map { w, i in w * rows[i * classes + c] }.reduce(0, +) / total
            }
        } else {
            probabilities = try classifier.outputs([photo]).softmax(dim: 1).floats()
        }
        guard let best = probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }), best < classifier.classes.count else {
            throw TorchError("\(classifier.file.path): the gender classifier gave no class probabilities", category: .invalidValue)
        }
        return .init(label: classifier.classes[best], score: probabilities[best])
    }
}
