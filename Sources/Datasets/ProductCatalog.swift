import Foundation
import LookKitCore

/// A catalog product to rank: its photo and, when the catalog says, its category.
public struct CatalogProduct: Sendable, Hashable {
    public let image: URL
    public let category: String?
    public init(image: URL, category: String?) { (self.image, self.category) = (image, category) }
}

/// The products `lookkit rank` ranks: a folder (every image under it; an image's category is the
/// subfolder directly under the root it lies in) or a CSV with a `path` column (relative paths from
/// the CSV's folder) and an optional `category` or `label` column, e.g. `lookkit embed`'s gallery.csv.
public enum ProductCatalog {
    public static func read(_ source: URL) throws -> [CatalogProduct] {
        if isFolder(source) {
            let root = source.standardizedFileURL.pathComponents.count
            return try imageFiles(under: source).map { image in
                let inside = image.pathComponents.dropFirst(root)
                return CatalogProduct(image: image, category: inside.count > 1 ? inside.first : nil)
            }
        }
        guard fileExists(source) else { throw NotFoundError("\(source.path): no such catalog folder or CSV") }
        let text: String
        do { text = try String(contentsOf: source, encoding: .utf8) } catch { throw MalformedFile(file: source.path, reason: "not UTF-8 text") }
        let records = try CSV.rows(text) { line, reason in throw MalformedFile(file: source.path, line: line, reason: reason) }
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), let path = header.firstIndex(of: "path") else {
            throw MalformedFile(file: source.path, line: 1, reason: "expected a header with a 'path' column (and optionally 'category' or 'label')")
        }
        let category = header.firstIndex(of: "category") ?? header.firstIndex(of: "label")
        return try records.dropFirst().map { record in
            guard record.fields.count == header.count else {
                throw MalformedFile(file: source.path, line: record.line, reason: "\(record.fields.count) fields, header has \(header.count)")
            }
            let image = YOLOReader.resolved(record.fields[path].trimmingCharacters(in: .whitespaces), from: source.deletingLastPathComponent())
            guard fileExists(image) else { throw MalformedFile(file: source.path, line: record.line, reason: "image \(image.path) does not exist") }
            return CatalogProduct(image: image, category: category.map { record.fields[$0].trimmingCharacters(in: .whitespaces) })
        }
    }
}
