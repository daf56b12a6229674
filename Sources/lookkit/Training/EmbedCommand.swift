import ArgumentParser
import Datasets
import Experiments
import Foundation
import LookKitCore
import Search
import Torch

/// `lookkit embed`: a trained embedder's vectors for a folder of photos, the input of
/// `lookkit index build`.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed", abstract: "Embed photos with a trained embedder into a .npy file and a metadata CSV.",
        discussion: """
            Embeds every image under --images (or the images a --labels CSV names) with the weights of \
            --checkpoint or --run. Writes unit-length float32 rows to --out and, one row each in the same \
            order, `id,path[,label]` to --metadata (default: --out with .csv), so that \
            `lookkit index build --vectors OUT --metadata OUT.csv` indexes the catalog and query results \
            name the files. Exit codes: 0 written, 64 bad usage, 1 unreadable input.
            """)

    @OptionGroup var weightsSource: TrainedWeights
    @Option(help: "Folder of images (searched at any depth unless --labels names them).") var images: String
    @Option(help: "CSV naming each image (id column) and its label; the label goes into the metadata.") var labels: String?
    @Option(help: "Column naming the image file, with or without extension.") var idColumn = "id"
    @Option(help: "Column holding the label.") var labelColumn = "label"
    @Option(help: "Where to write the vectors (.npy).") var out: String
    @Option(help: "Where to write the metadata CSV (default: --out with .csv).") var metadata: String?
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Image size (default: the run's).") var size: Int?

    func validate() throws { try weightsSource.requireOne() }

    func run() throws {
        let device = try Device.usable(self.device)
        let restored = try TrainingTask.restore(try weightsSource.resolve().file)
        guard restored.config.task != "gender" else {
            throw ValidationError("the weights are a '\(restored.config.task)' classifier, not an embedder")
        }
        try restored.task.model.move(to: device)
        let root = URL(fileURLWithPath: images).standardizedFileURL
        let photos = try labels.map { labels in
            let loaded = try LabelsCSVReader.read(URL(fileURLWithPath: labels), images: root, idColumn: idColumn, labelColumn: labelColumn)
            for issue in loaded.issues.prefix(10) { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
            return loaded.records
        } ?? imageFiles(under: root).map { LabeledImage(url: $0, label: "") }
        guard !photos.isEmpty else { throw ValidationError("no images to embed under \(root.path)") }

        // A catalog keeps every photo that reads; the others are named and left out.
        var unreadable = Set<Int>()
        let vectors = try embedPhotos(photos, size: size ?? restored.config.data.imageSize, workers: 2, device: device,
                                      label: "embed", model: restored.task.model, normalization: restored.task.normalization,
                                      onFailure: { failure in
                                          FileHandle.standardError.write(Data("skipped \(photos[failure.index].url.path): \(failure.error)\n".utf8))
                                          unreadable.insert(failure.index)
                                      }, embed: restored.task.output)
        let embedded = photos.indices.filter { !unreadable.contains($0) }.map { photos[$0] }
        // A batch that fails as a whole (collation) would leave rows unaccounted for: refuse to misalign.
        guard vectors.shape[0] == embedded.count else {
            throw ValidationError("\(vectors.shape[0]) vectors for \(embedded.count) readable photos; nothing written")
        }
        let outURL = URL(fileURLWithPath: out)
        try NPY.write(.init(values: try vectors.floats(), rows: vectors.shape[0], columns: vectors.shape[1]), to: outURL)
        let metadataURL = URL(fileURLWithPath: metadata ?? outURL.deletingPathExtension().path + ".csv")
        let header = labels == nil ? "id,path" : "id,path,label"
        let rows = embedded.enumerated().map { index, photo in
            CSV.line([String(index), relativePath(photo.url, to: root)] + (labels == nil ? [] : [photo.label]))
        }
        try ([header] + rows).joined(separator: "\n").appending("\n").write(to: metadataURL, atomically: true, encoding: .utf8)
        print("\(embedded.count) × \(vectors.shape[1]) embeddings written to \(outURL.path), metadata to \(metadataURL.path)"
            + (unreadable.isEmpty ? "" : "; \(unreadable.count) unreadable photos skipped"))
    }
}

/// `file`'s path below `root`, or its full path when it lies elsewhere.
private func relativePath(_ file: URL, to root: URL) -> String {
    let path = file.standardizedFileURL.path, prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
}
