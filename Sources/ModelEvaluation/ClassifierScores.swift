import Datasets
import Evaluation
import Experiments
import Foundation
import LookKitCore
import Torch

/// Accuracy and per-class quality of a classifier on labelled photos.
public struct ClassifierScores {
    public let matrix: ConfusionMatrix
    public let classes: [String]
    /// Photos that could not be read and were left out.
    public let unreadable: Int

    /// Classifies the readable photos of `photos` (unreadable ones are named and left out).
    public init(network: TaskNetwork, photos: EvaluationPhotos, classes: [String], size: Int, workers: Int, device: Device) throws {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        for photo in photos.queries where index[photo.label] == nil {
            throw MalformedFile(file: photo.url.path, reason: "label '\(photo.label)' is not a model class (\(classes.joined(separator: ", ")))")
        }
        let scored = try network.outputs(for: EvaluationPhotos(split: photos.split, queries: photos.queries), size: size,
                                         workers: workers, device: device)
        let predicted = try scored.outputs.argmax(1).int64s().map(Int.init)
        matrix = try ConfusionMatrix(classCount: classes.count, truth: scored.photos.queries.map { index[$0.label]! }, predicted: predicted)
        (self.classes, unreadable) = (classes, scored.unreadable.count)
    }

    public var asResults: [String: Double] {
        ["accuracy": matrix.accuracy, "macro_f1": matrix.macroF1, "unreadable_photos": Double(unreadable)]
    }

    /// The overall row, then precision, recall and F1 per class.
    public func summary(_ model: String) -> String {
        let f = { (v: Double) in String(format: "%.3f", v) }
        let overall = MarkdownTable(headers: ["model", "accuracy", "macro-F1", "photos"],
                                    rows: [[model, f(matrix.accuracy), f(matrix.macroF1), String(matrix.total)]])
        let perClass = MarkdownTable(headers: ["class", "precision", "recall", "F1"], rows: classes.indices.map { c in
            [classes[c], f(matrix.precision(c)), f(matrix.recall(c)), f(matrix.f1(c))]
        })
        return overall.markdown + "\n\n" + perClass.markdown
    }
}
