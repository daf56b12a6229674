import Datasets
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Search
import Torch

/// What `lookkit catalog build` did: products kept, photos skipped (named, with why), groups made.
public struct CatalogBuildSummary: Sendable {
    public let products: Int
    public let skipped: [(image: String, reason: String)]
    public let groups: [(gender: String, category: String, count: Int, kind: String)]
}

/// Writes a catalog folder (`Catalog` reads it): every product embedded once by the similarity
/// embedder (and the style embedder's product side, when given), metadata in SQLite, one index per
/// gender × category group. It is written beside `out` and moved into place at the end, so a failed
/// build never leaves half a catalog, and an existing catalog is never overwritten.
public struct CatalogBuilder {
    public var categoryMap = CategoryMap.fashionProductImages
    /// Groups with fewer products are searched exactly; larger ones through HNSW.
    public var exactBelow = 20_000
    public var workers = 2

    public init() {}

    public func build(_ records: [CatalogRecord], embedder: PhotoNetwork, style: StyleSides?, out: URL) throws -> CatalogBuildSummary {
        guard !records.isEmpty else { throw ConfigError("the catalog metadata lists no usable product") }
        guard !FileManager.default.fileExists(atPath: out.path) else {
            throw ConfigError("\(out.path) already exists; remove it or choose another --out (a catalog is never overwritten)")
        }
        let staging = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).partial-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging.appendingPathComponent(Catalog.indexFolder), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }

        var skipped: [(image: String, reason: String)] = []
        var (kept, vectors) = try embed(records, embedder, skipped: &skipped)
        var styleRows: NPY.Matrix?
        if let style {
            let rows = try styleRowsOf(kept, style, skipped: &skipped)
            kept = rows.kept.map { kept[$0] }
            vectors = vectors.rows(rows.kept)
            styleRows = rows.matrix
        }
        guard !kept.isEmpty else { throw DataIssue(file: records[0].image.deletingLastPathComponent().path, reason: "none of the product photos could be read") }

        let groups = try writeIndexes(kept, vectors, to: staging)
        try writeDatabase(kept, groups: groups, embedder: embedder, style: style, to: staging)
        if let styleRows { try NPY.write(styleRows, to: staging.appendingPathComponent(Catalog.styleName)) }
        try Data(categoryMap.yaml.utf8).write(to: staging.appendingPathComponent(Catalog.mapName))
        try FileManager.default.moveItem(at: staging, to: out)
        return CatalogBuildSummary(products: kept.count, skipped: skipped,
                                   groups: groups.map { ($0.key.gender, $0.key.category, $0.rows.count, $0.kind.name) })
    }

    /// Similarity vectors of every readable photo; unreadable ones are named and left out.
    private func embed(_ records: [CatalogRecord], _ embedder: PhotoNetwork, skipped: inout [(image: String, reason: String)])
        throws -> (kept: [CatalogRecord], vectors: NPY.Matrix) {
        var failed: [Int: Error] = [:]
        let photos = records.map { LabeledImage(url: $0.image, label: $0.category) }
        let matrix = try embedder.network.outputs(for: photos, size: embedder.size, workers: workers, device: embedder.device,
                                                  label: "embed products", onFailure: { failed[$0.index] = $0.error })
        let kept = records.indices.filter { failed[$0] == nil }
        guard matrix.shape[0] == kept.count else {
            throw TorchError("\(matrix.shape[0]) vectors for \(kept.count) readable photos; nothing written", category: .invalidValue)
        }
        skipped += failed.keys.sorted().map { (records[$0].image.path, "\(failed[$0]!)") }
        return (kept.map { records[$0] }, NPY.Matrix(values: try matrix.floats(), rows: matrix.shape[0], columns: matrix.shape[1]))
    }

    /// Product-side style rows, 32 photos at a time; which of `products` they are for.
    private func styleRowsOf(_ products: [CatalogRecord], _ style: StyleSides, skipped: inout [(image: String, reason: String)])
        throws -> (kept: [Int], matrix: NPY.Matrix) {
        var kept: [Int] = [], values: [Float] = [], width = 0
        var bar = ProgressBar(total: products.count, label: "style products", unit: "img")
        for start in stride(from: 0, to: products.count, by: 32) {
            var batch: [(Int, Image)] = []
            for index in start..<min(start + 32, products.count) {
                do { batch.append((index, try style.pictures.product(products[index].image))) } catch {
                    skipped.append((products[index].image.path, "\(error)"))
                }
            }
            if !batch.isEmpty {
                let rows = try style.productRows(batch.map(\.1))
                width = rows.shape[1]
                values += try rows.floats()
                kept += batch.map(\.0)
            }
            bar.update(min(start + 32, products.count))
        }
        return (kept, NPY.Matrix(values: values, rows: kept.count, columns: width))
    }

    private struct Group { let key: Catalog.GroupKey; let rows: [Int]; let kind: IndexKind; let file: String }

    /// One index per gender × category, its ids the products' rows.
    private func writeIndexes(_ products: [CatalogRecord], _ vectors: NPY.Matrix, to folder: URL) throws -> [Group] {
        let byGroup = Dictionary(grouping: products.indices) { Catalog.GroupKey(gender: products[$0].gender, category: products[$0].category) }
        let keys = byGroup.keys.sorted { ($0.gender, $0.category) < ($1.gender, $1.category) }
        return try keys.enumerated().map { number, key in
            let rows = byGroup[key]!
            let kind: IndexKind = rows.count < exactBelow ? .exact : .hnsw(m: 32, efSearch: 128)
            let index = try CatalogIndex(kind: kind, dimension: vectors.columns)
            try index.add(vectors.rows(rows).values, ids: rows.map(Int64.init))
            let file = "\(Catalog.indexFolder)/group-\(number).index"
            try index.save(to: folder.appendingPathComponent(file))
            return Group(key: key, rows: rows, kind: kind, file: file)
        }
    }

    private func writeDatabase(_ products: [CatalogRecord], groups: [Group], embedder: PhotoNetwork, style: StyleSides?, to folder: URL) throws {
        let sql = try SQLiteConnection(path: folder.appendingPathComponent(Catalog.databaseName).path, create: true)
        try sql.execute("""
            CREATE TABLE products (row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, image TEXT NOT NULL, gender TEXT NOT NULL, category TEXT NOT NULL);
            CREATE INDEX products_group ON products (gender, category);
            CREATE TABLE groups (gender TEXT NOT NULL, category TEXT NOT NULL, file TEXT NOT NULL, kind TEXT NOT NULL, count INTEGER NOT NULL,
                                 PRIMARY KEY (gender, category));
            CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """)
        var info = ["embedder": embedder.file.path, "embedder_sha256": try FileDigest.sha256Hex(ofFile: embedder.file),
                    "created": ISO8601DateFormatter().string(from: Date()), "products": String(products.count)]
        if let style {
            info["style"] = style.file.path
            info["style_sha256"] = try FileDigest.sha256Hex(ofFile: style.file)
        }
        try sql.transaction {
            for (row, product) in products.enumerated() {
                try sql.query("INSERT INTO products VALUES (?, ?, ?, ?, ?)",
                              [.integer(Int64(row)), .text(product.id), .text(product.image.standardizedFileURL.path), .text(product.gender), .text(product.category)])
            }
            for group in groups {
                try sql.query("INSERT INTO groups VALUES (?, ?, ?, ?, ?)",
                              [.text(group.key.gender), .text(group.key.category), .text(group.file), .text(group.kind.name), .integer(Int64(group.rows.count))])
            }
            for (key, value) in info { try sql.query("INSERT INTO info VALUES (?, ?)", [.text(key), .text(value)]) }
        }
    }
}
