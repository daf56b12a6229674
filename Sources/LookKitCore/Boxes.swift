/// Axis-aligned box in corner form, (x1, y1) top-left and (x2, y2) bottom-right, in any unit:
/// pixels, or fractions of the image as YOLO label rows are (see `inPixels`/`inFractions`).
public struct Box: Sendable, Hashable, Codable {
    public var x1, y1, x2, y2: Double

    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        (self.x1, self.y1, self.x2, self.y2) = (x1, y1, x2, y2)
    }

    /// From YOLO's centre form (cx, cy, w, h), in the same unit.
    public init(centerX: Double, centerY: Double, width: Double, height: Double) {
        self.init(x1: centerX - width / 2, y1: centerY - height / 2,
                  x2: centerX + width / 2, y2: centerY + height / 2)
    }

    public var width: Double { x2 - x1 }
    public var height: Double { y2 - y1 }
    /// Zero for an empty (inverted) box, so an intersection that does not exist has no area.
    public var area: Double { max(0, width) * max(0, height) }

    /// YOLO's centre form (cx, cy, w, h) in the box's own unit.
    public var centerForm: (cx: Double, cy: Double, w: Double, h: Double) {
        ((x1 + x2) / 2, (y1 + y2) / 2, width, height)
    }

    /// Intersection over union with yolov5's `box_iou` epsilon (1e-7 in the denominator).
    public func iou(_ other: Box) -> Double {
        let intersection = Box(x1: max(x1, other.x1), y1: max(y1, other.y1),
                               x2: min(x2, other.x2), y2: min(y2, other.y2)).area
        return intersection / (area + other.area - intersection + 1e-7)
    }

    /// The box clipped to [0, width] × [0, height].
    public func clipped(width: Double, height: Double) -> Box {
        Box(x1: min(max(x1, 0), width), y1: min(max(y1, 0), height),
            x2: min(max(x2, 0), width), y2: min(max(y2, 0), height))
    }

    public func scaled(x sx: Double, y sy: Double) -> Box {
        Box(x1: x1 * sx, y1: y1 * sy, x2: x2 * sx, y2: y2 * sy)
    }

    /// A box in fractions of the image (a YOLO row) in pixels of a width×height image.
    public func inPixels(imageWidth: Int, imageHeight: Int) -> Box {
        scaled(x: Double(imageWidth), y: Double(imageHeight))
    }

    /// A pixel box as fractions of a width×height image (what a YOLO row holds).
    public func inFractions(imageWidth: Int, imageHeight: Int) -> Box {
        scaled(x: 1 / Double(imageWidth), y: 1 / Double(imageHeight))
    }

    /// The largest distance between matching corners' coordinates (how far apart two boxes are).
    public func maxCornerDistance(to other: Box) -> Double {
        max(abs(x1 - other.x1), abs(y1 - other.y1), abs(x2 - other.x2), abs(y2 - other.y2))
    }
}

/// An object of a class: a ground-truth label, or a YOLO label row (box in image fractions).
public struct LabeledBox: Sendable, Hashable, Codable {
    public var classID: Int
    public var box: Box
    public init(classID: Int, box: Box) { (self.classID, self.box) = (classID, box) }
}

/// A predicted object with its confidence.
public struct ScoredBox: Sendable, Hashable, Codable {
    public var classID: Int
    public var box: Box
    public var confidence: Double
    public init(classID: Int, box: Box, confidence: Double) {
        (self.classID, self.box, self.confidence) = (classID, box, confidence)
    }
}
