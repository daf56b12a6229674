import Foundation
import LookKitCore
import Torch

/// Complete the Look's outfit triplets (Kang et al., with MANGO stylist outfits): the scene is a
/// style board of an outfit's other items, the positive is the held-out item, the negative a product
/// of the same category from another outfit, drawn afresh each epoch (with a few hundred outfits, a
/// fixed negative per triplet is memorised within epochs). Products are letterboxed on white (their
/// studio background) and mirrored at random; each epoch lays the board out anew.
public struct OutfitSceneSet: Dataset {
    public struct Triplet: Sendable, Hashable {
        public let outfit: Outfit
        /// The held-out item's index in the outfit.
        public let positive: Int
    }
    public let triplets: [Triplet]
    public let pictures: OutfitPictures
    private let pool: CategoryPool<OutfitItem>

    /// One triplet per item of each outfit with at least `minItems` items whose category has a product elsewhere.
    public init(_ outfits: [Outfit], sceneSize: Int, productSize: Int, seed: UInt64, minItems: Int = 3, cache: ImageCache? = nil) throws {
        let pool = CategoryPool(outfits.flatMap { $0.items.map { ($0.category, $0) } })
        triplets = outfits.filter { $0.items.count >= minItems }.flatMap { outfit in
            outfit.items.indices.filter { i in
                (pool.byCategory[outfit.items[i].category] ?? []).contains { !outfit.items.contains($0) }
            }.map { Triplet(outfit: outfit, positive: $0) }
        }
        self.pool = pool
        pictures = OutfitPictures(sceneSize: sceneSize, productSize: productSize, seed: seed, cache: cache)
    }

    public var count: Int { triplets.count }
    public func name(of index: Int) -> String { "outfit \(triplets[index].outfit.id) item \(triplets[index].positive)" }

    /// The triplet's negative for this draw: a same-category product of another outfit.
    public func negative(of index: Int, generator: inout SeededGenerator) -> OutfitItem {
        let t = triplets[index]
        return pool.draw(1, of: t.outfit.items[t.positive].category, excluding: Set(t.outfit.items), using: &generator)[0]
    }

    public func sample(at index: Int, generator: inout SeededGenerator) throws -> (scene: Image, positive: Image, negative: Image) {
        let t = triplets[index]
        var context = t.outfit.items
        let positive = context.remove(at: t.positive)
        let negative = self.negative(of: index, generator: &generator)
        // The generator is per epoch and sample; evaluation lays boards out with a fixed index instead.
        let scene = try pictures.scene(of: try context.map(Self.photo), index: Int(generator.next() % UInt64(Int32.max)))
        func product(_ item: OutfitItem) throws -> Image {
            let picture = try pictures.product(try Self.photo(item))
            return Bool.random(using: &generator) ? try picture.flipped() : picture
        }
        return (scene, try product(positive), try product(negative))
    }

    public static func photo(_ item: OutfitItem) throws -> URL {
        guard let image = item.image else { throw VisionError("product \(item.id) has no photo") }
        return image
    }
}

/// How Complete the Look sees an outfit: the scene is a style board of product photos (sceneSize²,
/// white, the board composer's layout), a product is its photo letterboxed on white (productSize²).
/// Training, validation and `lookkit eval fitb` draw them all here.
public struct OutfitPictures: Sendable {
    public let sceneSize: Int, productSize: Int, seed: UInt64
    public let cache: ImageCache?

    public init(sceneSize: Int, productSize: Int, seed: UInt64, cache: ImageCache? = nil) {
        (self.sceneSize, self.productSize, self.seed, self.cache) = (sceneSize, productSize, seed, cache)
    }

    /// The board of `photos`; the same (photos, index) always gives the same board.
    public func scene(of photos: [URL], index: Int) throws -> Image {
        guard let first = photos.first else { throw VisionError("a scene needs at least one product photo") }
        var composer = try StyleBoardComposer(products: [(first, 0)], names: ["item"])
        (composer.width, composer.height) = (sceneSize, sceneSize)
        return try composer.compose(items: photos, seed: seed, index: index, cache: cache)
    }

    /// A photo used as the scene itself (a street photo, a board made elsewhere), as street scenes train.
    public func scene(photo: Image) throws -> Image { try photo.letterboxed(width: sceneSize, height: sceneSize).0 }

    public func product(_ photo: URL) throws -> Image {
        try load(photo, cache: cache).letterboxed(width: productSize, height: productSize, fill: 255).0
    }
}

/// Scenes, positives and negatives as normalised N×3×H×W tensors.
public struct StyleBatch {
    public let scenes: Tensor, positives: Tensor, negatives: Tensor

    public static func collate(mean: [Float], std: [Float]) -> @Sendable ([(scene: Image, positive: Image, negative: Image)]) throws -> StyleBatch {
        { samples in
            StyleBatch(scenes: try imageBatchTensor(samples.map(\.scene), mean: mean, std: std),
                       positives: try imageBatchTensor(samples.map(\.positive), mean: mean, std: std),
                       negatives: try imageBatchTensor(samples.map(\.negative), mean: mean, std: std))
        }
    }
}
