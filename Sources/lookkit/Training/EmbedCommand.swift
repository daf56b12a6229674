import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import ModelEvaluation
import Torch
import Training

/// `lookkit embed`: a trained embedder's vectors for a folder of photos, the input of
/// `lookkit index build`.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed", abstract: "Embed photos with a trained embedder into a .npy file and a metadata CSV.",
        discussion: """
            Embeds every image under --images (or the images a --labels CSV names) with the weights of \
            --checkpoint or --run, or with the raw pooled features of --backbone NAME [--weights FILE] (e.g. \
            ImageNet features for a catalog before any training). Writes unit-length float32 rows to --out and, one row each in the same \
            order, `id,path[,label]` to --metadata (default: --out with .csv), so that \
            `lookkit index build --vectors OUT --metadata OUT.csv` indexes the catalog and query results \
            name the files. \(ErrorCategory.exitCodeTable)
            """)

    @OptionGroup var source: EmbeddingNetworkOptions
    @Option(help: "Folder of images (searched at any depth unless --labels names them).") var images: String
    @Option(help: "CSV naming each image (id column) and its label; the label goes into the metadata.") var labels: String?
    @Option(help: "Column naming the image file, with or without extension.") var idColumn = "id"
    @Option(help: "Column holding the label.") var labelColumn = "label"
    @Option(help: "Where to write the vectors (.npy).") var out: String
    @Option(help: "Where to write the metadata CSV (default: --out with .csv).") var metadata: String?
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Image size (default: the run's; 224 for --backbone).") var size: Int?

    func run() throws {
        let outURL = URL(fileURLWithPath: out)
        let metadataURL = URL(fileURLWithPath: metadata ?? outURL.deletingPathExtension().path + ".csv")
        try CatalogEmbedding.checkOutputs(vectors: outURL, metadata: metadataURL)
        let device = try Device.usable(self.device)
        let (network, _, _, trainedSize) = try source.network(logging: false)
        try network.module.move(to: device)
        let root = URL(fileURLWithPath: images).standardizedFileURL
        let photos = try labels.map { labels in
            let (photos, issues) = try EvaluationPhotos.leaveOneOut(images: root, labels: URL(fileURLWithPath: labels),
                                                                     idColumn: idColumn, labelColumn: labelColumn)
            for issue in issues.prefix(10) { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
            return photos.queries
        } ?? imageFiles(under: root).map { LabeledImage(url: $0, label: "") }
        let catalog = try CatalogEmbedding(network: network, photos: photos, root: root, labelled: labels != nil,
                                           size: size ?? trainedSize, device: device,
                                           vectors: outURL, metadata: metadataURL)
        print("\(catalog.embedded.count) × \(catalog.dimension) embeddings written to \(outURL.path), metadata to \(metadataURL.path)"
            + (catalog.unreadable.isEmpty ? "" : "; \(counted(catalog.unreadable.count, "unreadable photo")) skipped"))
    }
}
