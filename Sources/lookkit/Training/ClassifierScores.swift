import Datasets
import Evaluation
import Foundation
import Models
import Torch

/// Accuracy and per-class quality of a classifier on labelled photos.
struct ClassifierScores {
    let matrix: ConfusionMatrix
    let classes: [String]

    init(model: some UnaryLayer, photos: [LabeledImage], classes: [String], config: RunConfig.DataConfig,
         normalization: (mean: [Float], std: [Float]), device: Device) throws {
        let logits = try embedPhotos(photos, size: config.imageSize, workers: config.workers, device: device,
                                     label: "classify", model: model, normalization: normalization) { try model($0) }
        let predicted = try logits.argmax(1).int64s().map(Int.init)
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let truth = try photos.map { photo in
            guard let c = index[photo.label] else { throw DataIssue(file: photo.url.path, reason: "label '\(photo.label)' is not a model class") }
            return c
        }
        matrix = try ConfusionMatrix(classCount: classes.count, truth: truth, predicted: predicted)
        self.classes = classes
    }

    var asResults: [String: Double] { ["accuracy": matrix.accuracy, "macro_f1": matrix.macroF1] }

    func summary(_ model: String) -> String {
        var lines = ["| model | accuracy | macro-F1 | photos |", "|---|---|---|---|",
                     String(format: "| %@ | %.3f | %.3f | %d |", model, matrix.accuracy, matrix.macroF1, matrix.total), "",
                     "| class | precision | recall | F1 |", "|---|---|---|---|"]
        for (c, name) in classes.enumerated() {
            lines.append(String(format: "| %@ | %.3f | %.3f | %.3f |", name, matrix.precision(c), matrix.recall(c), matrix.f1(c)))
        }
        return lines.joined(separator: "\n")
    }
}
