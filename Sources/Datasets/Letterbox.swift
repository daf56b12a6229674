import LookKitCore

/// How an image was placed on a letterbox canvas: resized by (scaleX, scaleY) — equal up to
/// rounding of the new size — then shifted by (offsetX, offsetY) pixels.
public struct Letterbox: Sendable {
    public let scaleX, scaleY: Double
    public let offsetX, offsetY: Int
    public let size: (width: Int, height: Int)

    /// Original pixels -> letterboxed pixels.
    public var transform: AffineTransform {
        AffineTransform.scale(scaleX, scaleY).then(.translation(Double(offsetX), Double(offsetY)))
    }
    public func apply(_ box: Box) -> Box { transform.apply(box) }
    /// Letterboxed pixels -> original pixels (for mapping detections back).
    public func invert(_ box: Box) -> Box { transform.inverted.apply(box) }
}

extension Image {
    /// Fits the image inside width×height keeping its aspect ratio, centred, padded with `fill`.
    public func letterboxed(width: Int, height: Int, fill: UInt8 = 114) throws -> (Image, Letterbox) {
        let scale = min(Double(width) / Double(self.width), Double(height) / Double(self.height))
        let newWidth = max(1, Int((Double(self.width) * scale).rounded()))
        let newHeight = max(1, Int((Double(self.height) * scale).rounded()))
        let placed = (newWidth, newHeight) == (self.width, self.height) ? self : try resized(width: newWidth, height: newHeight)
        var canvas = try Image(width: width, height: height, fill: (fill, fill, fill))
        let letterbox = Letterbox(scaleX: Double(newWidth) / Double(self.width), scaleY: Double(newHeight) / Double(self.height),
                                  offsetX: (width - newWidth) / 2, offsetY: (height - newHeight) / 2,
                                  size: (width, height))
        try canvas.paste(placed, x: letterbox.offsetX, y: letterbox.offsetY)
        return (canvas, letterbox)
    }
}
