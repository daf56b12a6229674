import Datasets
import Evaluation
import Foundation
import LookKitCore
import Torch

/// The one path from photos to detections that training's validation, `lookkit val`, `lookkit
/// detect` and the pipeline share, so their numbers agree: letterbox to size×size, RGB scaled to
/// [0, 1], forward, NMS, boxes mapped back to the photo's pixels and clipped to it.
public struct YOLOPredictor {
    /// Letterboxed [0, 1] RGB batch → decoded boxes [batch, boxes, 5 + classes] (a YOLOv5, or an exported file).
    public let forward: (Tensor) throws -> Tensor
    public var size: Int
    public var nms: NonMaxSuppression
    public var device: Device

    public init(model: YOLOv5, size: Int, nms: NonMaxSuppression, device: Device = .cpu) {
        self.init(forward: { try model($0) }, size: size, nms: nms, device: device)
    }

    public init(forward: @escaping (Tensor) throws -> Tensor, size: Int, nms: NonMaxSuppression, device: Device = .cpu) {
        (self.forward, self.size, self.nms, self.device) = (forward, size, nms, device)
    }

    /// Per photo, its detections in photo pixels, most confident first.
    public func callAsFunction(_ photos: [Image]) throws -> [[ScoredBox]] {
        guard !photos.isEmpty else { return [] }
        let placed = try photos.map { try $0.letterboxed(width: size, height: size) }
        let input = try imageBatchTensor(placed.map(\.0), mean: [0, 0, 0], std: [1, 1, 1]).to(device)
        let predictions = try withoutGrad { try forward(input) }
        return try zip(zip(nms(predictions), placed), photos).map { pair, photo in
            let (detections, letterbox) = (pair.0, pair.1.1)
            return detections.map {
                ScoredBox(classID: $0.classID, box: letterbox.invert($0.box).clipped(width: Double(photo.width), height: Double(photo.height)),
                          confidence: $0.confidence)
            }
        }
    }

    /// Runs over `images` in batches (decoded by `workers` threads), calling `body` with each readable
    /// image's index, its photo and its detections; unreadable files go to `onUnreadable`, named.
    public func run(_ images: [URL], batchSize: Int = 16, workers: Int = 2, progress: ((Int) -> Void)? = nil,
                    onUnreadable: (SampleFailure) -> Void = { _ in },
                    _ body: (_ index: Int, _ photo: Image, [ScoredBox]) throws -> Void) throws {
        let options = LoaderOptions(batchSize: batchSize, shuffle: false, workers: workers)
        let epoch = DataLoader(PhotoFiles(urls: images, size: size), options: options) { $0 }.epoch(0)
        var done = 0
        while let loaded = epoch.next() {
            for (photo, (index, detections)) in zip(loaded.batch, zip(loaded.indices, try self(loaded.batch))) {
                try body(index, photo, detections)
            }
            done += loaded.indices.count + loaded.failures.count
            progress?(done)
        }
        for failure in epoch.failures { onUnreadable(failure) }  // also those of batches none of whose photos could be read
    }

    /// yolov5 val.py on `samples`: every photo's detections against its labels, as mAP and as
    /// ultralytics' confusion matrix (conf 0.25, IoU 0.45).
    public func evaluate(_ samples: [DetectionSample], classes: Int, batchSize: Int = 16, workers: Int = 2, progress: ((Int) -> Void)? = nil,
                         onUnreadable: (SampleFailure) -> Void = { _ in }) throws -> (metrics: DetectionMetrics, confusion: DetectionConfusion) {
        var evaluator = DetectionEvaluator(), confusion = DetectionConfusion(classes: classes)
        try run(samples.map(\.image), batchSize: batchSize, workers: workers, progress: progress, onUnreadable: onUnreadable) { index, photo, detections in
            let labels = samples[index].boxes.map {
                LabeledBox(classID: $0.classID, box: $0.box.inPixels(imageWidth: photo.width, imageHeight: photo.height))
            }
            try evaluator.add(labels: labels, predictions: detections)
            confusion.add(labels: labels, predictions: detections)
        }
        return (evaluator.evaluate(), confusion)
    }
}

/// Image files for a size×size input: huge JPEGs are decoded reduced (never below `size`), the rest
/// as they are; the predictor letterboxes them. Boxes map back to the decoded photo's pixels, and
/// written labels are normalised, so the reduction never shows in results.
struct PhotoFiles: Dataset {
    let urls: [URL]
    let size: Int
    var count: Int { urls.count }
    func name(of index: Int) -> String { urls[index].path }
    func sample(at index: Int, generator: inout SeededGenerator) throws -> Image { try Image(contentsOf: urls[index], atLeast: size) }
}
