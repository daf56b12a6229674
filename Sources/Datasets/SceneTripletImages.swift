import Foundation
import LookKitCore

extension Image {
    /// The image with the pixel box filled with a flat colour (the "scene minus product" input).
    public func masked(_ box: Box, fill: UInt8 = 114) throws -> Image {
        let rect = box.pixelRect(clippedTo: self)
        guard rect.width > 0, rect.height > 0 else { return self }
        var out = self
        try out.paste(try Image(width: rect.width, height: rect.height, fill: (fill, fill, fill)), x: rect.x, y: rect.y)
        return out
    }

    /// The normalised box's pixels resized to size×size.
    public func crop(normalized box: Box, size: Int) throws -> Image {
        let rect = box.inPixels(imageWidth: width, imageHeight: height).pixelRect(clippedTo: self)
        guard rect.width > 0, rect.height > 0 else { throw VisionError("box \(box) is empty inside a \(width)x\(height) image") }
        return try cropped(to: rect, resizedTo: (size, size))
    }
}

extension Box {
    /// The smallest whole-pixel rectangle covering the box, clipped to the image.
    func pixelRect(clippedTo image: Image) -> PixelRect {
        let c = clipped(width: Double(image.width), height: Double(image.height))
        let (x1, y1) = (Int(c.x1.rounded(.down)), Int(c.y1.rounded(.down)))
        return PixelRect(x: x1, y: y1, width: Int(c.x2.rounded(.up)) - x1, height: Int(c.y2.rounded(.up)) - y1)
    }
}

extension SceneTriplet {
    /// Decodes the inputs a scene-based model trains on: the scene with the positive's box masked
    /// (normalised boxes scaled to the photo), and both products cropped to cropSize×cropSize.
    public func images(cropSize: Int, fill: UInt8 = 114) throws -> (scene: Image, positive: Image, negative: Image) {
        guard let sceneURL = scene.image, let negativeURL = negativeScene.image else {
            throw VisionError("scene \(scene.image == nil ? scene.id : negativeScene.id) has no image")
        }
        let photo = try Image(contentsOf: sceneURL)
        let box = positive.box
        let pixels = box.inPixels(imageWidth: photo.width, imageHeight: photo.height)
        let other = negativeURL == sceneURL ? photo : try Image(contentsOf: negativeURL)
        return (try photo.masked(pixels, fill: fill), try photo.crop(normalized: box, size: cropSize),
                try other.crop(normalized: negative.box, size: cropSize))
    }
}
