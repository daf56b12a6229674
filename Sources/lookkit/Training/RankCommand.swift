import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import StyleEmbedding
import Torch
import Training

/// `lookkit rank`: complementary products for a scene, by a style embedder's distance.
struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank", abstract: "Rank catalog products by how well they complete a scene (style embedder).",
        discussion: """
            The scene (a street photo with the garment to replace cut out, or a style board) is letterboxed to the \
            run's scene size; each catalog product is letterboxed on white to its product size, as in training. \
            --catalog is a folder (category = the subfolder under it) or a CSV with a path column and an optional \
            category/label column (e.g. the gallery.csv of `lookkit embed`).
            """)
    @Option(help: "A style embedder's best.safetensors.") var checkpoint: String
    @Option(help: "The scene photo.") var scene: String
    @Option(help: "Catalog folder or CSV.") var catalog: String
    @Option(help: "Rank only products of this category.") var category: String?
    @Option(help: "How many to print.") var k = 10
    @Option(help: "global, local or hybrid (default: the one it trained on).") var distance: StyleDistance?
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Flag(help: "JSON output.") var json = false

    struct Ranked: Encodable { let rank: Int, path: String, category: String?, distance: Double }

    func run() throws {
        let device = try Device.usable(device)
        let restored = try RestoredModel(checkpoint: URL(fileURLWithPath: checkpoint), for: .style)
        try restored.network.module.move(to: device)
        guard let embedder = restored.network.module as? StyleEmbedder else { throw ValidationError("\(checkpoint) holds no style embedder") }
        let config = restored.config
        let scorer = StyleScorer(embedder: embedder, normalization: restored.network.normalization,
                                 distance: distance ?? config.style.distance, device: device)
        let pictures = OutfitPictures(sceneSize: config.data.imageSize, productSize: config.style.productSize, seed: config.seed)
        let products = try ProductCatalog.read(URL(fileURLWithPath: catalog))
        if let category, !products.contains(where: { $0.category == category }) {
            let known = Set(products.compactMap(\.category)).sorted()
            throw ValidationError("no catalog product has category '\(category)'" + (known.isEmpty ? " (the catalog has no categories)" : "; categories: \(known.joined(separator: ", "))"))
        }
        let (ranked, skipped) = try scorer.rank(scene: pictures.scene(photo: Image(contentsOf: URL(fileURLWithPath: scene))), catalog: products,
                                                category: category, pictures: pictures, k: k)
        for issue in skipped { FileHandle.standardError.write(Data("skipped \(issue)\n".utf8)) }
        let rows = ranked.enumerated().map { Ranked(rank: $0 + 1, path: $1.product.image.path, category: $1.product.category, distance: $1.distance) }
        if json {
            print(try jsonString(rows))
        } else {
            print(MarkdownTable(headers: ["rank", "product", "category", "distance"],
                                rows: rows.map { [String($0.rank), $0.path, $0.category ?? "", String(format: "%.4f", $0.distance)] }).markdown)
        }
    }
}
