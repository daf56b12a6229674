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

    public init(network: TaskNetwork, photos: [LabeledImage], classes: [String], size: Int, workers: Int, device: Device) throws {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let truth = try photos.map { photo in
            guard let c = index[photo.label] else { throw DataIssue(file: photo.url.path, reason: "label '\(photo.label)' is not a model class") }
            return c
        }
        let logits = try network.outputs(for: photos, size: size, workers: workers, device: device, label: "classify")
        let predicted = try logits.argmax(1).int64s().map(Int.init)
        matrix = try ConfusionMatrix(classCount: classes.count, truth: truth, predicted: predicted)
        self.classes = classes
    }

    public var asResults: [String: Double] { ["accuracy": matrix.accuracy, "macro_f1": matrix.macroF1] }

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
