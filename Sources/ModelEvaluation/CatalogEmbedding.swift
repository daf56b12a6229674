import Datasets
import Experiments
import Foundation
import LookKitCore
import Search
import Torch

/// A catalog's vectors for `lookkit index build`: unit-length float32 rows in a .npy file and, one
/// row each in the same order, `id,path[,label]` in a metadata CSV, so query results name files.
public struct CatalogEmbedding {
    /// Photos embedded, in row order; photos that could not be read are left out and listed.
    public let embedded: [LabeledImage]
    public let unreadable: [(photo: LabeledImage, error: Error)]
    public let dimension: Int

    /// Embeds `photos` (paths written relative to `root`), writing `vectors` and `metadata`.
    /// `labelled` adds the label column.
    public init(network: TaskNetwork, photos: [LabeledImage], root: URL, labelled: Bool, size: Int, device: Device,
                vectors: URL, metadata: URL) throws {
        try Self.checkOutputs(vectors: vectors, metadata: metadata)
        guard !photos.isEmpty else { throw DataIssue(file: root.path, reason: "no images to embed") }
        // A catalog keeps every photo that reads; the others are named and left out.
        var failures: [Int: Error] = [:]
        let matrix = try network.outputs(for: photos, size: size, workers: 2, device: device, onFailure: { failure in
            FileHandle.standardError.write(Foundation.Data("skipped \(photos[failure.index].url.path): \(failure.error)\n".utf8))
            failures[failure.index] = failure.error
        })
        embedded = photos.indices.filter { failures[$0] == nil }.map { photos[$0] }
        unreadable = failures.keys.sorted().map { (photos[$0], failures[$0]!) }
        // A batch that fails as a whole (collation) would leave rows unaccounted for: refuse to misalign.
        guard matrix.shape[0] == embedded.count else {
            throw TorchError("\(matrix.shape[0]) vectors for \(embedded.count) readable photos; nothing written", category: .invalidValue)
        }
        dimension = matrix.shape[1]
        let values = NPY.Matrix(values: try matrix.floats(), rows: matrix.shape[0], columns: dimension)
        let rows = embedded.enumerated().map { index, photo in
            CSV.line([String(index), Self.relativePath(photo.url, to: root)] + (labelled ? [photo.label] : []))
        }
        let header = labelled ? "id,path,label" : "id,path"
        let csv = Data(([header] + rows).joined(separator: "\n").appending("\n").utf8)
        // Both files or neither: vectors without their metadata would index under the wrong ids.
        try OutputFile.writeTogether([
            (vectors.path, { try NPY.write(values, to: URL(fileURLWithPath: $0)) }),
            (metadata.path, { try csv.write(to: URL(fileURLWithPath: $0)) }),
        ])
    }

    /// Throws unless both outputs can be written, and to different files; call it before embedding.
    public static func checkOutputs(vectors: URL, metadata: URL) throws {
        guard vectors.standardizedFileURL.path != metadata.standardizedFileURL.path else {
            throw ConfigError("the vectors and the metadata would both be written to \(vectors.path); pass --metadata FILE.csv")
        }
        try OutputFile.checkWritable(vectors.path)
        try OutputFile.checkWritable(metadata.path)
    }

    /// `file`'s path below `root`, or its full path when it lies elsewhere.
    static func relativePath(_ file: URL, to root: URL) -> String {
        let path = file.standardizedFileURL.path, prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
