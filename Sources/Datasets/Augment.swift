import Foundation
import LookKitCore

extension Image {
    /// YOLO-style colour jitter: each gain is 1 + uniform(-1, 1) × its amplitude.
    public func randomHSV<G: RandomNumberGenerator>(hue: Double = 0.015, saturation: Double = 0.7, value: Double = 0.4,
                                                     using generator: inout G) throws -> Image {
        var out = self
        try out.applyHSVGain(hue: 1 + .random(in: -1...1, using: &generator) * hue,
                             saturation: 1 + .random(in: -1...1, using: &generator) * saturation,
                             value: 1 + .random(in: -1...1, using: &generator) * value)
        return out
    }

    /// torchvision's RandomResizedCrop: a crop covering `scale` of the area with aspect ratio in
    /// `ratio` (log-uniform), resized to width×height; falls back to the central crop after 10 tries.
    public func randomResizedCrop<G: RandomNumberGenerator>(width: Int, height: Int, scale: ClosedRange<Double> = 0.08...1,
                                                             ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                                                             using generator: inout G) throws -> (Image, PixelRect) {
        let rect = randomCropRect(scale: scale, ratio: ratio, using: &generator)
        return (try cropped(to: rect, resizedTo: (width, height)), rect)
    }

    func randomCropRect<G: RandomNumberGenerator>(scale: ClosedRange<Double>, ratio: ClosedRange<Double>,
                                                  using generator: inout G) -> PixelRect {
        let area = Double(width * height)
        for _ in 0..<10 {
            let target = area * .random(in: scale, using: &generator)
            let aspect = exp(Double.random(in: log(ratio.lowerBound)...log(ratio.upperBound), using: &generator))
            let w = Int((target * aspect).squareRoot().rounded()), h = Int((target / aspect).squareRoot().rounded())
            if w > 0, h > 0, w <= width, h <= height {
                return PixelRect(x: .random(in: 0...(width - w), using: &generator), y: .random(in: 0...(height - h), using: &generator),
                                 width: w, height: h)
            }
        }
        let aspect = Double(width) / Double(height)
        let (w, h) = aspect < ratio.lowerBound ? (width, Int((Double(width) / ratio.lowerBound).rounded()))
            : aspect > ratio.upperBound ? (Int((Double(height) * ratio.upperBound).rounded()), height) : (width, height)
        return PixelRect(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
    }

    /// Warps the image and its pixel boxes with `transform` onto a width×height canvas; boxes are
    /// the enclosing boxes of their moved corners, clipped, and dropped when under `minVisible`
    /// of their transformed area remains (YOLOv5's rule).
    public func warped(by transform: AffineTransform, boxes: [Box], width: Int, height: Int,
                       minVisible: Double = 0.1, fill: UInt8 = 114) throws -> (Image, [Box?]) {
        let image = try warped(by: transform, width: width, height: height, fill: fill)
        let moved = boxes.map { box -> Box? in
            let full = transform.apply(box)
            let clipped = full.clipped(width: Double(width), height: Double(height))
            return clipped.width > 1 && clipped.height > 1 && clipped.area >= minVisible * full.area ? clipped : nil
        }
        return (image, moved)
    }
}

/// Random rotation / scale / translation as YOLOv5's random_perspective (without shear/perspective).
public struct RandomAffine: Sendable {
    public var degrees = 0.0, translate = 0.1, scale = 0.5
    public init(degrees: Double = 0, translate: Double = 0.1, scale: Double = 0.5) {
        (self.degrees, self.translate, self.scale) = (degrees, translate, scale)
    }

    /// A transform taking a sourceWidth×sourceHeight image to a width×height output.
    public func sample<G: RandomNumberGenerator>(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int,
                                                  using generator: inout G) -> AffineTransform {
        let angle = Double.random(in: -degrees...degrees, using: &generator)
        let s = Double.random(in: (1 - scale)...(1 + scale), using: &generator)
        let tx = Double.random(in: (0.5 - translate)...(0.5 + translate), using: &generator) * Double(width)
        let ty = Double.random(in: (0.5 - translate)...(0.5 + translate), using: &generator) * Double(height)
        return AffineTransform.translation(-Double(sourceWidth) / 2, -Double(sourceHeight) / 2)
            .then(.rotation(degrees: angle, center: (0, 0), scale: s))
            .then(.translation(tx, ty))
    }
}
