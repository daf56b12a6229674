import Foundation
import LookKitCore

/// The JSON sidecar written next to an index file: what kind of index it is and each item's metadata.
private struct Sidecar: Codable {
    static let formatName = "lookkit-index"
    var format = Sidecar.formatName
    var version = 1
    var kind: String
    var dimension: Int
    var count: Int
    var metadata: [String: ItemMetadata]
}

extension CatalogIndex {
    public static func sidecarURL(for url: URL) -> URL { URL(fileURLWithPath: url.path + ".json") }

    /// Throws unless `save(to: url)` can write both files; call it before building the index.
    public static func checkCanSave(to url: URL) throws {
        try OutputFile.checkWritable(url.path)
        try OutputFile.checkWritable(sidecarURL(for: url).path)
    }

    /// Writes the index to `url` and its metadata to `<url>.json`, both or neither.
    public func save(to url: URL) throws {
        let sidecar = Sidecar(kind: kind.name, dimension: dimension, count: count,
                              metadata: Dictionary(uniqueKeysWithValues: metadata.map { (String($0.key), $0.value) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(sidecar)
        try OutputFile.writeTogether([
            (url.path, { try self.index.save(to: URL(fileURLWithPath: $0)) }),
            (Self.sidecarURL(for: url).path, { try json.write(to: URL(fileURLWithPath: $0)) }),
        ])
    }

    public static func load(from url: URL) throws -> CatalogIndex {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SearchError.missingFile(url.path) }
        if let head = FileHandle(forReadingAtPath: url.path)?.readData(ofLength: NPY.magic.count), Array(head) == NPY.magic {
            throw SearchError.corruptFile(url.path, reason: "it is a .npy vectors file; index it first with "
                + "`lookkit index build --vectors \(url.path) --out catalog.index`")
        }
        let sidecarURL = sidecarURL(for: url)
        let sidecar: Sidecar
        do {
            sidecar = try JSONDecoder().decode(Sidecar.self, from: try readFile(sidecarURL))
        } catch let error as SearchError {
            throw error
        } catch {
            throw SearchError.corruptFile(sidecarURL.path, reason: "bad JSON sidecar: \(error)")
        }
        guard sidecar.format == Sidecar.formatName else {
            throw SearchError.corruptFile(sidecarURL.path, reason: "format is '\(sidecar.format)', not \(Sidecar.formatName)")
        }
        let index: any VectorIndex
        let kind: IndexKind
        switch sidecar.kind {
        case "exact":
            index = try ExactCosineIndex.load(from: url)
            kind = .exact
        case "flat", "ivf", "hnsw":
            let faiss = try FaissIndex.load(from: url)
            (index, kind) = (faiss, try faiss.kind)
        default:
            throw SearchError.corruptFile(sidecarURL.path, reason: "unknown index kind '\(sidecar.kind)'")
        }
        guard index.dimension == sidecar.dimension, index.count == sidecar.count, kind.name == sidecar.kind else {
            throw SearchError.corruptFile(url.path, reason: "holds a \(kind.name) index of \(index.count) × \(index.dimension), "
                + "but its sidecar says \(sidecar.kind) \(sidecar.count) × \(sidecar.dimension)")
        }
        var metadata: [Int64: ItemMetadata] = [:]
        for (key, value) in sidecar.metadata {
            guard let id = Int64(key) else { throw SearchError.corruptFile(sidecarURL.path, reason: "id '\(key)' is not an integer") }
            metadata[id] = value
        }
        guard metadata.count == index.count else {
            throw SearchError.corruptFile(sidecarURL.path, reason: "metadata for \(metadata.count) ids, index holds \(index.count)")
        }
        return CatalogIndex(restoring: index, kind: kind, metadata: metadata)
    }
}
