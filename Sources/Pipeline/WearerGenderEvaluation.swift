import Datasets
import Foundation
import LookKitCore

/// The gender classifier (trained on product photos) read on street photos two ways: from the whole
/// photo, and from a confidence-weighted vote over the detected garment crops. Accuracy of each on
/// photos whose wearer's gender is labelled.
public struct WearerGenderEvaluation: Sendable {
    public struct Photo: Sendable {
        public let file: String, label: String
        public let fromPhoto: Recommendation.GenderJSON, fromGarments: Recommendation.GenderJSON
        public let garments: Int
    }

    public private(set) var photos: [Photo] = []

    public init() {}

    /// Reads one labelled photo both ways.
    public mutating func add(_ photo: Image, file: String, label: String, detector: GarmentDetector, gender: PersonGender, maxGarments: Int = 8) throws {
        let garments = try detector.garments(in: photo, limit: maxGarments).map { ($0.crop, $0.box.confidence) }
        photos.append(Photo(file: file, label: label, fromPhoto: try gender(photo: photo, garments: [], source: .photo),
                            fromGarments: try gender(photo: photo, garments: garments, source: .garments), garments: garments.count))
    }

    public func accuracy(_ source: GenderSource) -> Double {
        guard !photos.isEmpty else { return 0 }
        return Double(photos.filter { ($0[source]).label == $0.label }.count) / Double(photos.count)
    }

    public var table: MarkdownTable {
        let labels = Set(photos.map(\.label)).sorted()
        let rows = GenderSource.allCases.map { source -> [String] in
            [source == .photo ? "whole photo" : "vote over garment crops", String(format: "%.3f", accuracy(source))]
                + labels.map { label in
                    let of = photos.filter { $0.label == label }
                    return String(format: "%.3f (%d)", Double(of.filter { $0[source].label == label }.count) / Double(max(1, of.count)), of.count)
                }
        }
        return MarkdownTable(headers: ["gender read from", "accuracy"] + labels.map { "recall \($0) (photos)" }, rows: rows)
    }
}

extension WearerGenderEvaluation.Photo {
    subscript(source: GenderSource) -> Recommendation.GenderJSON { source == .photo ? fromPhoto : fromGarments }
}
