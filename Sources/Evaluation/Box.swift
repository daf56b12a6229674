/// Axis-aligned box in corner form (x1, y1) top-left, (x2, y2) bottom-right, any unit.
public struct Box: Sendable, Equatable, Codable {
    public var x1, y1, x2, y2: Double

    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        (self.x1, self.y1, self.x2, self.y2) = (x1, y1, x2, y2)
    }

    /// From YOLO's centre form (cx, cy, w, h).
    public init(centerX: Double, centerY: Double, width: Double, height: Double) {
        self.init(x1: centerX - width / 2, y1: centerY - height / 2,
                  x2: centerX + width / 2, y2: centerY + height / 2)
    }

    public var area: Double { (x2 - x1) * (y2 - y1) }

    /// Intersection over union with yolov5's `box_iou` epsilon (1e-7 in the denominator).
    public func iou(_ other: Box) -> Double {
        let width = max(min(x2, other.x2) - max(x1, other.x1), 0)
        let height = max(min(y2, other.y2) - max(y1, other.y1), 0)
        let intersection = width * height
        return intersection / (area + other.area - intersection + 1e-7)
    }
}

/// A ground-truth object.
public struct LabeledBox: Sendable, Equatable {
    public var classID: Int
    public var box: Box
    public init(classID: Int, box: Box) { (self.classID, self.box) = (classID, box) }
}

/// A predicted object with its confidence.
public struct ScoredBox: Sendable, Equatable {
    public var classID: Int
    public var box: Box
    public var confidence: Double
    public init(classID: Int, box: Box, confidence: Double) {
        (self.classID, self.box, self.confidence) = (classID, box, confidence)
    }
}
