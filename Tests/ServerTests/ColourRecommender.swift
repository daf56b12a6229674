import Datasets
import Foundation
import LookKitCore
import Pipeline

/// A stand-in for the model pipeline whose answer is a checkable function of the photo: the upper
/// half is the "top", the lower half the "bottom", and each gets the catalog products whose mean
/// colour is nearest its own; shoes and hats go with the whole photo's colour. Two different photos
/// get different answers, so a reply that reached the wrong client shows.
struct ColourRecommender: Recommending {
    struct Product {
        var id: String
        var category: String
        var colour: SIMD3<Float>
        var url: URL
    }

    static let tops = ["t-shirt", "shirt", "longsleeve", "outwear", "dress"]
    static let bottoms = ["pants", "shorts", "skirt"]
    static let complements = ["shoes", "hat"]

    let products: [Product]

    /// The demo catalog: `datasets/demo/clothing/validation/<category>/<id>.jpg`.
    init(catalog: URL) throws {
        let categories = try FileManager.default.contentsOfDirectory(atPath: catalog.path).sorted()
        products = try categories.flatMap { category in
            let folder = catalog.appendingPathComponent(category)
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { file in
                let url = folder.appendingPathComponent(file)
                let image = try Image(contentsOf: url)
                // Ids with a slash, as the real catalog's ("train/dress/22cc…"), so URLs must carry them.
                return Product(id: "\(category)/\(url.deletingPathExtension().lastPathComponent)", category: category,
                               colour: Self.meanColour(image, rows: 0..<image.height), url: url)
            }
        }
    }

    static var demoCatalog: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("datasets/demo/clothing/validation")
    }

    func recommend(_ photo: Image, name: String, options: RecommendOptions) throws -> Recommendation {
        guard photo.width >= 8, photo.height >= 8 else { throw TooSmallPhoto(width: photo.width, height: photo.height) }
        let (w, h) = (Float(photo.width), Float(photo.height))
        let fullShot = photo.height >= photo.width
        let pose = Recommendation.PoseVerdictJSON(accepted: fullShot, fullShot: fullShot, frontFacing: true,
                                                  reason: fullShot ? "" : "wider than tall: not a full shot")
        let timings = ["colour": Double(photo.width * photo.height) / 1000]
        if options.poseGate == .enforce, !fullShot {
            return Recommendation(photo: name, pose: pose, gender: nil, articles: [], completeTheLook: [], timingsMs: timings)
        }
        let top = Self.meanColour(photo, rows: 0..<photo.height / 2)
        let bottom = Self.meanColour(photo, rows: photo.height / 2..<photo.height)
        let whole = (top + bottom) / 2
        let gender = Recommendation.GenderJSON(label: top.x >= top.z ? "women" : "men", score: abs(top.x - top.z) / 255)
        let articles = [
            Recommendation.Article(class: "top", score: 0.9, box: [0.15 * w, 0.02 * h, 0.85 * w, 0.5 * h],
                                   similar: nearest(top, in: Self.tops, k: options.k)),
            Recommendation.Article(class: "bottom", score: 0.8, box: [0.2 * w, 0.5 * h, 0.8 * w, 0.98 * h],
                                   similar: nearest(bottom, in: Self.bottoms, k: options.k)),
        ]
        let groups = Self.complements.map { Recommendation.ComplementaryGroup(category: $0, items: nearest(whole, in: [$0], k: options.k)) }
        return Recommendation(photo: name, pose: pose, gender: gender, articles: articles, completeTheLook: groups, timingsMs: timings)
    }

    func productImageURL(id: String) -> URL? { products.first { $0.id == id }?.url }

    /// The `k` products of `categories` nearest `colour`, most similar first (ties by id).
    func nearest(_ colour: SIMD3<Float>, in categories: [String], k: Int) -> [Recommendation.Product] {
        let farthest = 255 * Float(3).squareRoot()
        let scored: [(product: Product, score: Float)] = products.filter { categories.contains($0.category) }
            .map { ($0, 1 - Self.distance($0.colour, colour) / farthest) }
        let ranked = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.product.id < $1.product.id }
        return ranked.prefix(k).map { Recommendation.Product(id: $0.product.id, score: $0.score, gender: "unisex", category: $0.product.category) }
    }

    static func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }

    static func meanColour(_ image: Image, rows: Range<Int>) -> SIMD3<Float> {
        var sum = SIMD3<Float>(0, 0, 0)
        for y in rows {
            for x in 0..<image.width {
                let (r, g, b) = image.pixel(x: x, y: y)
                sum += SIMD3(Float(r), Float(g), Float(b))
            }
        }
        return sum / Float(max(1, rows.count * image.width))
    }
}

/// What a model pipeline says about a photo it cannot use: the server answers 422 with this message.
struct TooSmallPhoto: LookKitError {
    let width: Int, height: Int
    var description: String { "photo of \(width)x\(height) pixels is too small to recommend from (at least 8x8)" }
    var category: ErrorCategory { .invalidValue }
}

/// A recommender that always fails with `error`, for the server's error paths.
struct FailingRecommender: Recommending {
    let error: any Error & Sendable
    func recommend(_ photo: Image, name: String, options: RecommendOptions) throws -> Recommendation { throw error }
    func productImageURL(id: String) -> URL? { nil }
}
