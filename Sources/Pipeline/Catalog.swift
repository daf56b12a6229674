import Datasets
import Experiments
import Foundation
import LookKitCore
import Search

/// A catalog folder `lookkit catalog build` writes, loaded for recommending:
/// - `catalog.sqlite`: one row per product (id, photo, gender, category), the groups and how it was built;
/// - `indexes/`: one similarity index per gender × category group (exact when small, HNSW when large),
///   whose ids are the products' rows;
/// - `style.npy`: every product's style row (`StyleRoleNetwork`, product side), row by row;
/// - `category-map.yaml`: which categories each detector class stands for.
public final class Catalog: @unchecked Sendable {
    public struct Product: Sendable, Equatable {
        public let id: String
        public let image: URL
        public let gender: String
        public let category: String
    }

    public let folder: URL
    /// Indexed by row (the id every index and `style.npy` use).
    public let products: [Product]
    public let categoryMap: CategoryMap
    /// Product-side style rows, [products × width], or nil for a catalog built without a style embedder.
    public let styleRows: NPY.Matrix?
    /// What the catalog was built with (`embedder`, `embedder_sha256`, `style`, `style_sha256`, …).
    public let info: [String: String]
    private let groups: [GroupKey: CatalogIndex]
    private let rowOfID: [String: Int]

    struct GroupKey: Hashable { let gender: String, category: String }

    static let databaseName = "catalog.sqlite", styleName = "style.npy", mapName = "category-map.yaml", indexFolder = "indexes"

    public init(folder: URL) throws {
        self.folder = folder
        let database = folder.appendingPathComponent(Self.databaseName)
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw NotFoundError("\(folder.path): not a catalog (no \(Self.databaseName); build one with `lookkit catalog build`)")
        }
        let sql = try SQLiteConnection(path: database.path, create: false, readOnly: true)
        let rows = try sql.query("SELECT row, id, image, gender, category FROM products ORDER BY row")
        products = try rows.enumerated().map { expected, row in
            guard row[0].int64 == Int64(expected), let id = row[1].string, let image = row[2].string, let gender = row[3].string,
                  let category = row[4].string else {
                throw MalformedFile(file: database.path, reason: "products row \(expected) is missing or incomplete")
            }
            return Product(id: id, image: URL(fileURLWithPath: image, relativeTo: folder).standardizedFileURL, gender: gender, category: category)
        }
        rowOfID = Dictionary(products.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        info = Dictionary(try sql.query("SELECT key, value FROM info").compactMap { row in
            row[0].string.flatMap { key in row[1].string.map { (key, $0) } }
        }, uniquingKeysWith: { first, _ in first })
        var groups: [GroupKey: CatalogIndex] = [:]
        for row in try sql.query("SELECT gender, category, file FROM groups") {
            guard let gender = row[0].string, let category = row[1].string, let file = row[2].string else {
                throw MalformedFile(file: database.path, reason: "a groups row is incomplete")
            }
            groups[GroupKey(gender: gender, category: category)] = try CatalogIndex.load(from: folder.appendingPathComponent(file))
        }
        self.groups = groups
        categoryMap = try CategoryMap(yaml: folder.appendingPathComponent(Self.mapName))
        let style = folder.appendingPathComponent(Self.styleName)
        styleRows = FileManager.default.fileExists(atPath: style.path) ? try NPY.read(style) : nil
        if let styleRows, styleRows.rows != products.count {
            throw MalformedFile(file: style.path, reason: "\(styleRows.rows) style rows for \(products.count) products")
        }
    }

    public func product(id: String) -> Product? { rowOfID[id].map { products[$0] } }

    /// Dimension of the similarity vectors (every group has the same).
    public var dimension: Int? { groups.values.first?.dimension }

    /// The `k` products most similar to `vector` among those of `categories` whose gender is one of
    /// `genders`, searched group by group and merged, most similar first.
    public func similar(to vector: [Float], categories: [String], genders: Set<String>, k: Int) throws -> [(row: Int, score: Float)] {
        var hits: [SearchHit] = []
        for category in categories {
            for gender in genders {
                guard let index = groups[GroupKey(gender: gender, category: category)] else { continue }
                hits += try index.search(vector, k: min(k, index.count))[0]
            }
        }
        return hits.sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }.prefix(k).map { (Int($0.id), $0.score) }
    }

    /// Rows of the products of `categories` whose gender is one of `genders`.
    public func rows(categories: Set<String>, genders: Set<String>) -> [Int] {
        products.indices.filter { categories.contains(products[$0].category) && genders.contains(products[$0].gender) }
    }
}
