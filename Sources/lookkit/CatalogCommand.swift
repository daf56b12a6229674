import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import Pipeline
import Torch

/// `lookkit catalog build`: a shop's products embedded once, for `recommend` and `serve`.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Build a product catalog for recommending.", subcommands: [Build.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Embed every product photo once, keep the metadata in SQLite, one index per gender × category.",
            discussion: """
                Reads --metadata (a CSV naming each photo of --images by its id column, with gender and category \
                columns; fashion-product-images' styles.csv as it is), embeds every product with the similarity \
                embedder and, when there is one, the product side of the style embedder, and writes the catalog \
                folder --out: catalog.sqlite, indexes/ (exact below --exact-below products per group, HNSW above), \
                style.npy and category-map.yaml (which categories each detector class matches; --category-map to \
                change it). Photos that cannot be read are skipped and named; rows with missing fields are named \
                with their line. \(ErrorCategory.exitCodeTable)
                """)

        @Option(help: "Folder of product photos.") var images: String
        @Option(help: "Metadata CSV (one row per product).") var metadata: String
        @Option(help: "Column naming the photo (file name with or without extension).") var idColumn = "id"
        @Option(help: "Column holding the gender (Men, Women, Unisex, …).") var genderColumn = "gender"
        @Option(help: "Column holding the category (e.g. articleType).") var categoryColumn = "articleType"
        @Option(help: "Similarity embedder weights.") var embedder = "checkpoints/embedder/best.safetensors"
        @Option(help: "Style embedder weights (no complementary products without one; 'none' to skip).") var style = "checkpoints/style/best.safetensors"
        @Option(help: "YAML of `detector_class: [category, …]` (default: the shared detection classes onto styles.csv's article types).") var categoryMap: String?
        @Option(help: "Groups with fewer products are searched exactly; larger ones through HNSW.") var exactBelow = 20_000
        @Option(help: "Output catalog folder (must not exist).") var out: String
        @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"

        func run() throws {
            let device = try Device.usable(self.device)
            let loaded = try CatalogCSVReader.read(URL(fileURLWithPath: metadata), images: URL(fileURLWithPath: images), idColumn: idColumn,
                                                   genderColumn: genderColumn, categoryColumn: categoryColumn)
            for issue in loaded.issues { FileHandle.standardError.write(Data("skipped \(issue)\n".utf8)) }
            var builder = CatalogBuilder()
            builder.exactBelow = exactBelow
            if let categoryMap { builder.categoryMap = try CategoryMap(yaml: URL(fileURLWithPath: categoryMap)) }
            let embedder = try PhotoNetwork(checkpoint: URL(fileURLWithPath: embedder), for: .embedding, device: device)
            let style = self.style == "none" ? nil : try StyleSides(checkpoint: URL(fileURLWithPath: self.style), device: device)
            let summary = try builder.build(loaded.records, embedder: embedder, style: style, out: URL(fileURLWithPath: out))
            for (image, reason) in summary.skipped { FileHandle.standardError.write(Data("skipped \(image): \(reason)\n".utf8)) }
            let skipped = loaded.issues.count + summary.skipped.count
            print("\(counted(summary.products, "product")) in \(counted(summary.groups.count, "gender × category group")) → \(out)"
                  + (skipped > 0 ? " (\(skipped) skipped, named above)" : ""))
        }
    }
}
