import Datasets
import Foundation
import Torch

/// Labelled photos one evaluation scores. Retrieval: every query ranks the gallery (queries are the
/// gallery's first rows, so query i is gallery row i and never counts as its own match).
/// Classification: the queries alone.
public struct EvaluationPhotos: Sendable {
    /// The split's name in the run log ("validation", "test", "held-out"…).
    public let split: String
    public let queries: [LabeledImage]
    public let gallery: [LabeledImage]

    public init(split: String, queries: [LabeledImage], gallery: [LabeledImage]? = nil) {
        (self.split, self.queries, self.gallery) = (split, queries, gallery ?? queries)
    }
}

/// A trained network as evaluation, embedding and export use it.
public struct TaskNetwork {
    public let module: Module
    /// Input statistics the network's weights expect.
    public let normalization: (mean: [Float], std: [Float])
    /// How photos become the network's square input (the run's `data.resize`; an export's metadata).
    public var resize: ResizeRule
    /// What the network is used for: unit embeddings (embedders) or class logits (classifiers).
    public let output: (Tensor) throws -> Tensor

    public init(module: Module, normalization: (mean: [Float], std: [Float]), resize: ResizeRule = .stretch,
                output: @escaping (Tensor) throws -> Tensor) {
        (self.module, self.normalization, self.resize, self.output) = (module, normalization, resize, output)
    }
}

extension EvaluationPhotos {
    /// A labelled folder a user points at (`labels` CSV naming each image and its label): every
    /// photo queries all the others. Rows that cannot be used are returned as issues.
    public static func leaveOneOut(images: URL, labels: URL, idColumn: String = "id", labelColumn: String = "label")
        throws -> (photos: EvaluationPhotos, issues: [DataIssue]) {
        let loaded = try LabelsCSVReader.read(labels, images: images, idColumn: idColumn, labelColumn: labelColumn)
        guard !loaded.records.isEmpty else { throw DataIssue(file: labels.path, reason: "no usable rows") }
        return (EvaluationPhotos(split: "leave-one-out", queries: loaded.records), loaded.issues)
    }
}
