import Foundation
import LookKitCore
import Torch

/// YOLOv5's training augmentation (the hyp yaml's `mosaic`, `hsv_*`, `degrees`, `translate`,
/// `scale`, `fliplr`): a 4-image mosaic with probability `mosaic`, else the letterboxed image;
/// then a random rotation/scale/translation onto the output, HSV jitter and a left-right flip.
public struct DetectionAugmentation: Sendable, Equatable {
    public var mosaic = 1.0
    public var hue = 0.015, saturation = 0.7, value = 0.4
    public var degrees = 0.0, translate = 0.1, scale = 0.5
    public var flipLeftRight = 0.5
    public init() {}
}

/// Detection samples on a size×size canvas: evaluation letterboxes the photo; training augments it
/// as YOLOv5 does (`DetectionAugmentation`). Boxes stay normalised to the output.
public struct DetectionSet: Dataset {
    public let samples: [DetectionSample]
    public let size: Int
    /// nil: letterbox only (validation, detection).
    public var augmentation: DetectionAugmentation?
    public let cache: ImageCache?

    public init(_ samples: [DetectionSample], size: Int, augmentation: DetectionAugmentation?, cache: ImageCache? = nil) {
        (self.samples, self.size, self.augmentation, self.cache) = (samples, size, augmentation, cache)
    }

    /// With YOLOv5's default augmentation (`augment`) or none.
    public init(_ samples: [DetectionSample], size: Int, augment: Bool, cache: ImageCache? = nil) {
        self.init(samples, size: size, augmentation: augment ? DetectionAugmentation() : nil, cache: cache)
    }

    public var count: Int { samples.count }
    public func name(of index: Int) -> String { samples[index].image.path }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> (image: Image, boxes: [LabeledBox]) {
        guard let augmentation else { return try letterboxed(index, size: size) }
        var (image, boxes): (Image, [LabeledBox])
        if Double.random(in: 0..<1, using: &generator) < augmentation.mosaic {
            // As ultralytics: tiles at full size on a 2·size canvas, which the affine step then crops.
            let others = (0..<3).map { _ in Int.random(in: 0..<samples.count, using: &generator) }
            let tiles = try ([index] + others).map { (try load(samples[$0].image, cache: cache), samples[$0].boxes) }
            (image, boxes) = try mosaic(tiles, size: 2 * size, using: &generator)
        } else {
            (image, boxes) = try letterboxed(index, size: size)
        }
        (image, boxes) = try randomAffine(image, boxes, augmentation, using: &generator)
        if augmentation.hue > 0 || augmentation.saturation > 0 || augmentation.value > 0 {  // the round trip through HSV is lossy
            image = try image.randomHSV(hue: augmentation.hue, saturation: augmentation.saturation, value: augmentation.value,
                                        using: &generator)
        }
        if Double.random(in: 0..<1, using: &generator) < augmentation.flipLeftRight {
            image = try image.flipped(.horizontal)
            let mirror = AffineTransform.scale(-1, 1).then(.translation(1, 0))
            boxes = boxes.map { LabeledBox(classID: $0.classID, box: mirror.apply($0.box)) }
        }
        return (image, boxes)
    }

    /// Warps `image` onto the size×size output; boxes follow, clipped, dropped when mostly gone.
    func randomAffine(_ image: Image, _ boxes: [LabeledBox], _ augmentation: DetectionAugmentation,
                      using generator: inout SeededGenerator) throws -> (Image, [LabeledBox]) {
        let affine = RandomAffine(degrees: augmentation.degrees, translate: augmentation.translate, scale: augmentation.scale)
        let transform = affine.sample(sourceWidth: image.width, sourceHeight: image.height, width: size, height: size, using: &generator)
        let pixels = boxes.map { $0.box.inPixels(imageWidth: image.width, imageHeight: image.height) }
        let (warped, moved) = try image.warped(by: transform, boxes: pixels, width: size, height: size)
        let kept = zip(boxes, moved).compactMap { label, box in
            box.map { LabeledBox(classID: label.classID, box: $0.inFractions(imageWidth: size, imageHeight: size)) }
        }
        return (warped, kept)
    }

    /// The photo letterboxed to side×side, boxes moved with it.
    func letterboxed(_ index: Int, size side: Int) throws -> (Image, [LabeledBox]) {
        let photo = try load(samples[index].image, cache: cache)
        let (image, letterbox) = try photo.letterboxed(width: side, height: side)
        let boxes = samples[index].boxes.map { label in
            let moved = letterbox.apply(label.box.inPixels(imageWidth: photo.width, imageHeight: photo.height))
            return LabeledBox(classID: label.classID, box: moved.inFractions(imageWidth: side, imageHeight: side))
        }
        return (image, boxes)
    }
}

/// N×3×S×S images scaled to [0, 1] (YOLOv5's input), and each image's own boxes (normalised to S).
public struct DetectionBatch {
    public let images: Tensor
    public let boxes: [[LabeledBox]]

    public init(images: Tensor, boxes: [[LabeledBox]]) { (self.images, self.boxes) = (images, boxes) }

    @Sendable public static func collate(_ samples: [(image: Image, boxes: [LabeledBox])]) throws -> DetectionBatch {
        DetectionBatch(images: try imageBatchTensor(samples.map(\.image), mean: [0, 0, 0], std: [1, 1, 1]), boxes: samples.map(\.boxes))
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
