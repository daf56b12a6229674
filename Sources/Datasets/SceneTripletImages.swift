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

    /// The normalised box's pixels, letterboxed on white into size×size (a product on its studio
    /// background, as catalog photos are shown).
    public func crop(normalized box: Box, size: Int) throws -> Image {
        let rect = box.inPixels(imageWidth: width, imageHeight: height).pixelRect(clippedTo: self)
        guard rect.width > 0, rect.height > 0 else { throw VisionError("box \(box) is empty inside a \(width)x\(height) image") }
        return try cropped(to: rect).letterboxed(width: size, height: size, fill: 255).0
    }
}

extension Box {
    /// The smallest whole-pixel rectangle covering the box, clipped to the image.
    public func pixelRect(clippedTo image: Image) -> PixelRect {
        let c = clipped(width: Double(image.width), height: Double(image.height))
        let (x1, y1) = (Int(c.x1.rounded(.down)), Int(c.y1.rounded(.down)))
        return PixelRect(x: x1, y: y1, width: Int(c.x2.rounded(.up)) - x1, height: Int(c.y2.rounded(.up)) - y1)
    }
}

extension SceneTriplet {
    /// Decodes the inputs a scene-based model trains on (Kang et al.'s STL→CTL rule: the model never
    /// sees the product in its scene): the photo with the positive's box masked, letterboxed into
    /// sceneSize², and both products cropped and letterboxed on white into productSize².
    public func images(sceneSize: Int, productSize: Int, fill: UInt8 = 114) throws -> (scene: Image, positive: Image, negative: Image) {
        guard let sceneURL = scene.image, let negativeURL = negativeScene.image else {
            throw VisionError("scene \(scene.image == nil ? scene.id : negativeScene.id) has no image")
        }
        let photo = try Image(contentsOf: sceneURL)
        let box = positive.box
        let pixels = box.inPixels(imageWidth: photo.width, imageHeight: photo.height)
        let other = negativeURL == sceneURL ? photo : try Image(contentsOf: negativeURL)
        return (try photo.masked(pixels, fill: fill).letterboxed(width: sceneSize, height: sceneSize, fill: fill).0,
                try photo.crop(normalized: box, size: productSize), try other.crop(normalized: negative.box, size: productSize))
    }
}

/// Complete the Look's scene triplets on street photos: the scene is a photo with one garment's box
/// masked, the positive that garment's crop, the negative a crop of a garment from another photo.
public struct StreetSceneSet: Dataset {
    public let triplets: [SceneTriplet]
    public let sceneSize: Int, productSize: Int

    /// One triplet per box whose negative can be drawn (see `sceneTriplets`).
    public init(_ scenes: [Scene], sceneSize: Int, productSize: Int, seed: UInt64, sameCategoryNegatives: Bool = true) {
        triplets = sceneTriplets(scenes, seed: seed, sameCategory: sameCategoryNegatives)
        (self.sceneSize, self.productSize) = (sceneSize, productSize)
    }

    public var count: Int { triplets.count }
    public func name(of index: Int) -> String { triplets[index].scene.image?.path ?? triplets[index].scene.id }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> (scene: Image, positive: Image, negative: Image) {
        try triplets[index].images(sceneSize: sceneSize, productSize: productSize)
    }
}

/// Two triplet sets trained as one (e.g. outfit boards and street scenes): indices run through the
/// first, then the second.
public struct JoinedDataset<First: Dataset, Second: Dataset>: Dataset where First.Sample == Second.Sample {
    public let first: First, second: Second
    public init(_ first: First, _ second: Second) { (self.first, self.second) = (first, second) }

    public var count: Int { first.count + second.count }
    public func name(of index: Int) -> String { index < first.count ? first.name(of: index) : second.name(of: index - first.count) }
    public func sample(at index: Int, generator: inout SeededGenerator) throws -> First.Sample {
        index < first.count ? try first.sample(at: index, generator: &generator) : try second.sample(at: index - first.count, generator: &generator)
    }
}
