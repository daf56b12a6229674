import Datasets
import Evaluation
import Foundation
import LookKitCore
import ModelEvaluation
import StyleEmbedding
import Torch

/// Scores candidate products against one scene with a style embedder (eval mode, no graph): what
/// training's validation and `lookkit eval fitb` share.
public struct StyleScorer {
    public let embedder: StyleEmbedder
    public let normalization: (mean: [Float], std: [Float])
    public let distance: StyleDistance
    public let device: Device

    public init(embedder: StyleEmbedder, normalization: (mean: [Float], std: [Float]), distance: StyleDistance, device: Device) {
        (self.embedder, self.normalization, self.distance, self.device) = (embedder, normalization, distance, device)
    }

    /// The chosen distance from the scene to each candidate (smaller: more compatible).
    public func distances(scene: Image, candidates: [Image]) throws -> [Double] {
        try scored(scene: scene, candidates: candidates).distances
    }

    /// The distances and the attention over the scene's regions for each candidate ([candidates][regions],
    /// row-major over the region map): where in the scene each product is judged from.
    public func scored(scene: Image, candidates: [Image]) throws -> (distances: [Double], attention: [[Float]]) {
        let wasTraining = embedder.training
        embedder.eval()
        defer { embedder.train(wasTraining) }
        let (mean, std) = normalization
        return try withoutGrad {
            let s = try embedder.features(imageBatchTensor([scene], mean: mean, std: std).to(device))
            let products = try embedder.features(imageBatchTensor(candidates, mean: mean, std: std).to(device))
            let repeated = StyleEmbedder.Features(pooled: try s.pooled.expand([candidates.count, -1]),
                                                  regions: try s.regions.expand([candidates.count, -1, -1]))
            let d = try embedder.distances(scene: repeated, product: products)
            let chosen = try StyleEmbedder.chosen(distance, of: d)
            let attention = try d.attention.floats(), regions = d.attention.shape[1]
            return (try chosen.floats().map(Double.init), (0..<candidates.count).map { Array(attention[$0 * regions..<($0 + 1) * regions]) })
        }
    }
}

extension StyleScorer {
    /// One fill-in-the-blank question's candidate scores (negated distances: higher is more compatible):
    /// the board of the context photos laid out by `index`, each candidate its photo on white.
    public func scores(context: [URL], candidates: [URL], index: Int, pictures: OutfitPictures) throws -> [Double] {
        try distances(scene: pictures.scene(of: context, index: index), candidates: candidates.map(pictures.product)).map { -$0 }
    }

    /// Fill-in-the-blank on questions from a file: each scene is a board of the question's context
    /// photos (laid out by its line number), each candidate its photo on white. A question whose
    /// photos cannot be read is skipped (named on stderr) and counted.
    public func fitb(_ questions: [FITBFileQuestion], images: URL, pictures: OutfitPictures, skipped: Int) throws -> FITBScores {
        var scores: [[Double]] = [], answers: [Int] = []
        var bar = ProgressBar(total: questions.count, label: "fitb", unit: "question")
        for (done, question) in questions.enumerated() {
            do {
                let photo = { FITBFile.image(for: $0, in: images) }
                scores.append(try self.scores(context: question.context.map(photo), candidates: question.candidates.map(photo), index: question.line,
                                              pictures: pictures))
                answers.append(question.answer)
            } catch let error as VisionError {
                FileHandle.standardError.write(Data("skipped question on line \(question.line): \(error)\n".utf8))
            }
            bar.update(done + 1)
        }
        return try FITBScores(scores: scores, answers: answers, skipped: skipped + questions.count - answers.count,
                              rule: "style \(distance.rawValue) distance")
    }
}

extension StyleScorer {
    /// Every catalog product (of `category`, when given) ranked against `scene` by the chosen distance,
    /// nearest first; products are seen as `pictures` shows them and embedded `batch` at a time. An
    /// unreadable photo is skipped and named.
    public func rank(scene: Image, catalog: [CatalogProduct], category: String?, pictures: OutfitPictures, k: Int?, batch: Int = 32)
        throws -> (ranked: [(product: CatalogProduct, distance: Double)], skipped: [String]) {
        let products = category.map { c in catalog.filter { $0.category == c } } ?? catalog
        var scored: [(CatalogProduct, Double)] = [], skipped: [String] = []
        var bar = ProgressBar(total: products.count, label: "rank", unit: "product")
        for start in stride(from: 0, to: products.count, by: batch) {
            var readable: [(CatalogProduct, Image)] = []
            for product in products[start..<min(start + batch, products.count)] {
                do {
                    readable.append((product, try pictures.product(product.image)))
                } catch let error as VisionError {
                    skipped.append("\(product.image.path): \(error)")
                }
            }
            if !readable.isEmpty { scored += zip(readable.map(\.0), try distances(scene: scene, candidates: readable.map(\.1))).map { ($0, $1) } }
            bar.update(min(start + batch, products.count))
        }
        let ranked = scored.sorted { $0.1 < $1.1 }
        return (Array(ranked.prefix(k ?? ranked.count)).map { (product: $0.0, distance: $0.1) }, skipped)
    }
}
