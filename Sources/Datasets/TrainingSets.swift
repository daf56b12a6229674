import Foundation
import LookKitCore
import Torch

/// Decodes a file, through the cache when there is one.
func load(_ url: URL, cache: ImageCache?) throws -> Image {
    try cache?.image(at: url) ?? Image(contentsOf: url)
}

/// Labelled photos as size×size images: training applies random-resized-crop and a random
/// horizontal flip; evaluation resizes the whole photo.
public struct ClassificationSet: Dataset {
    public let records: [LabeledImage]
    public let classes: [String]
    public let size: Int
    public let augment: Bool
    public let cache: ImageCache?

    public init(_ records: [LabeledImage], classes: [String]? = nil, size: Int, augment: Bool, cache: ImageCache? = nil) throws {
        let classes = classes ?? Array(Set(records.map(\.label))).sorted()
        if let unknown = records.first(where: { !classes.contains($0.label) }) {
            throw DataIssue(file: unknown.url.path, reason: "label '\(unknown.label)' is not among the classes")
        }
        (self.records, self.classes, self.size, self.augment, self.cache) = (records, classes, size, augment, cache)
    }

    public var count: Int { records.count }
    public func name(of index: Int) -> String { records[index].url.path }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> (image: Image, label: Int) {
        let record = records[index]
        let photo = try load(record.url, cache: cache)
        guard augment else { return (try photo.resized(width: size, height: size), label(of: record)) }
        // Product photos show one whole item: crops keep at least 40% of it (ImageNet's 8% loses the item).
        var image = try photo.randomResizedCrop(width: size, height: size, scale: 0.4...1, using: &generator).0
        if Bool.random(using: &generator) { image = try image.flipped(.horizontal) }
        return (image, label(of: record))
    }

    private func label(of record: LabeledImage) -> Int {
        classes.firstIndex(of: record.label)! // checked in init
    }
}

/// Detection samples letterboxed to size×size; training adds mosaic (with probability
/// `mosaicProbability`), HSV jitter and horizontal flips. Boxes stay normalised to the output.
public struct DetectionSet: Dataset {
    public let samples: [DetectionSample]
    public let size: Int
    public let augment: Bool
    public var mosaicProbability = 1.0
    public let cache: ImageCache?

    public init(_ samples: [DetectionSample], size: Int, augment: Bool, cache: ImageCache? = nil) {
        (self.samples, self.size, self.augment, self.cache) = (samples, size, augment, cache)
    }

    public var count: Int { samples.count }
    public func name(of index: Int) -> String { samples[index].image.path }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> (image: Image, boxes: [LabeledBox]) {
        var (image, boxes): (Image, [LabeledBox])
        if augment, Double.random(in: 0..<1, using: &generator) < mosaicProbability {
            let others = (0..<3).map { _ in Int.random(in: 0..<samples.count, using: &generator) }
            let tiles = try ([index] + others).map { (try load(samples[$0].image, cache: cache), samples[$0].boxes) }
            (image, boxes) = try mosaic(tiles, size: size, using: &generator)
        } else {
            (image, boxes) = try letterboxed(index)
        }
        guard augment else { return (image, boxes) }
        image = try image.randomHSV(using: &generator)
        if Bool.random(using: &generator) {
            image = try image.flipped(.horizontal)
            let mirror = AffineTransform.scale(-1, 1).then(.translation(1, 0))
            boxes = boxes.map { LabeledBox(classID: $0.classID, box: mirror.apply($0.box)) }
        }
        return (image, boxes)
    }

    func letterboxed(_ index: Int) throws -> (Image, [LabeledBox]) {
        let photo = try load(samples[index].image, cache: cache)
        let (image, letterbox) = try photo.letterboxed(width: size, height: size)
        let boxes = samples[index].boxes.map { label in
            let moved = letterbox.apply(label.box.inPixels(imageWidth: photo.width, imageHeight: photo.height))
            return LabeledBox(classID: label.classID, box: moved.inFractions(imageWidth: size, imageHeight: size))
        }
        return (image, boxes)
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

/// N×3×S×S normalised images, and each image's own boxes (normalised to S).
public struct DetectionBatch {
    public let images: Tensor
    public let boxes: [[LabeledBox]]

    @Sendable public static func collate(_ samples: [(image: Image, boxes: [LabeledBox])]) throws -> DetectionBatch {
        DetectionBatch(images: try imageBatchTensor(samples.map(\.image)), boxes: samples.map(\.boxes))
    }

    /// YOLO's flat target layout: one row (image index, class, cx, cy, w, h) per box.
    public func targets() throws -> Tensor {
        let rows = boxes.enumerated().flatMap { i, list in
            list.flatMap { label in
                let c = label.box.centerForm
                return [Float(i), Float(label.classID), Float(c.cx), Float(c.cy), Float(c.w), Float(c.h)]
            }
        }
        return try Tensor(rows, shape: [rows.count / 6, 6])
    }
}
