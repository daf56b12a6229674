import Foundation
import LookKitCore
import Torch

/// Decodes a file, through the cache when there is one.
func load(_ url: URL, cache: ImageCache?) throws -> Image {
    try cache?.image(at: url) ?? Image(contentsOf: url)
}

/// Labelled photos as size×size images: training applies random-resized-crop and a random
/// horizontal flip; evaluation fits the photo by the run's resize rule.
public struct ClassificationSet: Dataset {
    public let records: [LabeledImage]
    public let classes: [String]
    public let size: Int
    public let augment: Bool
    /// How an evaluation photo becomes size×size (training crops at random instead).
    public let resize: ResizeRule
    public let cache: ImageCache?

    public init(_ records: [LabeledImage], classes: [String]? = nil, size: Int, augment: Bool, resize: ResizeRule = .stretch,
                cache: ImageCache? = nil) throws {
        let classes = classes ?? Array(Set(records.map(\.label))).sorted()
        if let unknown = records.first(where: { !classes.contains($0.label) }) {
            throw DataIssue(file: unknown.url.path, reason: "label '\(unknown.label)' is not among the classes")
        }
        (self.records, self.classes, self.size, self.augment, self.resize, self.cache) = (records, classes, size, augment, resize, cache)
    }

    public var count: Int { records.count }
    public func name(of index: Int) -> String { records[index].url.path }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> (image: Image, label: Int) {
        let record = records[index]
        let photo = try load(record.url, cache: cache)
        guard augment else { return (try photo.fitted(size, resize), label(of: record)) }
        // Product photos show one whole item: crops keep at least 40% of it (ImageNet's 8% loses the item).
        var image = try photo.randomResizedCrop(width: size, height: size, scale: 0.4...1, using: &generator).0
        if Bool.random(using: &generator) { image = try image.flipped(.horizontal) }
        return (image, label(of: record))
    }

    private func label(of record: LabeledImage) -> Int {
        classes.firstIndex(of: record.label)! // checked in init
    }
}

/// N×3×H×W normalised images and int64 class labels.
public struct ClassificationBatch {
    public let images: Tensor
    public let labels: Tensor

    @Sendable public static func collate(_ samples: [(image: Image, label: Int)]) throws -> ClassificationBatch {
        try collate(mean: ImageNet.mean, std: ImageNet.std)(samples)
    }

    /// A collate normalising with other statistics (e.g. [-1, 1] inputs: mean = std = 0.5).
    public static func collate(mean: [Float], std: [Float]) -> @Sendable ([(image: Image, label: Int)]) throws -> ClassificationBatch {
        { samples in
            ClassificationBatch(images: try imageBatchTensor(samples.map(\.image), mean: mean, std: std),
                                labels: try Tensor(samples.map { Int64($0.label) }, shape: [samples.count]))
        }
    }
}

