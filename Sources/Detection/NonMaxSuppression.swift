import LookKitCore
import Torch

/// Non-maximum suppression as yolov5's `non_max_suppression` does it (written here: libtorch has
/// no `torchvision::nms`): candidates above the confidence threshold (objectness × class
/// probability), one per class with `multiLabel`, else the best class; class-aware by offsetting
/// each class's boxes; greedy suppression above the IoU threshold; at most `maxDetections`.
public struct NonMaxSuppression: Sendable {
    public var confidence = 0.25
    public var iou = 0.45
    public var maxDetections = 300
    /// Every class above `confidence` per box (validation), or only the best one (detection).
    public var multiLabel = false
    /// Suppress across classes too.
    public var classAgnostic = false
    /// Candidates kept, by confidence, before suppression.
    public var maxCandidates = 30_000

    public init() {}

    /// yolov5 val.py's settings: conf 0.001, IoU 0.6, max 300, every class above the threshold.
    public static var validation: NonMaxSuppression {
        var nms = NonMaxSuppression()
        (nms.confidence, nms.iou, nms.multiLabel) = (0.001, 0.6, true)
        return nms
    }

    /// Classes are pushed this far apart so that one greedy pass never suppresses across them.
    static let classOffset = 7680.0

    /// Per image of decoded predictions [batch, boxes, 5 + classes] (centre, size in pixels),
    /// the kept detections, corners in pixels, by descending confidence.
    public func callAsFunction(_ predictions: Tensor) throws -> [[ScoredBox]] {
        guard predictions.shape.count == 3, predictions.shape[2] > 5 else {
            throw TorchError("NMS expects [batch, boxes, 5 + classes], got \(predictions.shape)", category: .invalidValue)
        }
        let (batch, count, width) = (predictions.shape[0], predictions.shape[1], predictions.shape[2])
        let values = try predictions.to(.cpu, dtype: .float32).contiguous().floats()
        return (0..<batch).map { image in
            var candidates: [ScoredBox] = []
            for row in 0..<count {
                let p = values[(image * count + row) * width ..< (image * count + row + 1) * width]
                let base = p.startIndex, objectness = Double(p[base + 4])
                guard objectness > confidence else { continue }
                let box = Box(centerX: Double(p[base]), centerY: Double(p[base + 1]), width: Double(p[base + 2]), height: Double(p[base + 3]))
                let scores = (5..<width).map { Double(p[base + $0]) * objectness }
                if multiLabel {
                    for (c, score) in scores.enumerated() where score > confidence {
                        candidates.append(ScoredBox(classID: c, box: box, confidence: score))
                    }
                } else if let best = scores.indices.max(by: { scores[$0] < scores[$1] }), scores[best] > confidence {
                    candidates.append(ScoredBox(classID: best, box: box, confidence: scores[best]))
                }
            }
            candidates.sort { $0.confidence > $1.confidence }
            candidates = Array(candidates.prefix(maxCandidates))
            let shifted = candidates.map { candidate -> Box in
                let offset = classAgnostic ? 0 : Double(candidate.classID) * Self.classOffset
                let b = candidate.box
                return Box(x1: b.x1 + offset, y1: b.y1 + offset, x2: b.x2 + offset, y2: b.y2 + offset)
            }
            return Self.greedy(sortedBoxes: shifted, threshold: iou, limit: maxDetections).map { candidates[$0] }
        }
    }

    /// torchvision's `nms` on boxes already sorted by descending score: indices kept, in order.
    /// A box is dropped when its IoU with a kept, higher-scoring box exceeds `threshold`. Stops
    /// once `limit` boxes are kept (the first `limit` of the full result).
    public static func greedy(sortedBoxes boxes: [Box], threshold: Double, limit: Int = .max) -> [Int] {
        var suppressed = [Bool](repeating: false, count: boxes.count), kept: [Int] = []
        let areas = boxes.map { ($0.x2 - $0.x1) * ($0.y2 - $0.y1) }
        for i in boxes.indices where !suppressed[i] {
            guard kept.count < limit else { break }
            kept.append(i)
            let a = boxes[i]
            for j in (i + 1)..<max(i + 1, boxes.count) where !suppressed[j] {
                let b = boxes[j]
                let w = min(a.x2, b.x2) - max(a.x1, b.x1), h = min(a.y2, b.y2) - max(a.y1, b.y1)
                guard w > 0, h > 0 else { continue }
                let intersection = w * h
                if intersection / (areas[i] + areas[j] - intersection) > threshold { suppressed[j] = true }
            }
        }
        return kept
    }
}
