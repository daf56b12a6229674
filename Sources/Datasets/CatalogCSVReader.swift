import Foundation

/// One product of a shop's catalog: its id, photo and the two fields recommendations filter on.
public struct CatalogRecord: Sendable, Hashable {
    public let id: String
    public let image: URL
    public let gender: String
    public let category: String
    public init(id: String, image: URL, gender: String, category: String) {
        (self.id, self.image, self.gender, self.category) = (id, image, gender, category)
    }
}

/// A catalog's metadata CSV (fashion-product-images' styles.csv and the like): an id column naming
/// each photo in `images` (with or without its extension), a gender column and a category column.
/// Rows without a photo or with an empty field are issues naming the file and line.
public enum CatalogCSVReader {
    public static func read(_ csv: URL, images: URL, idColumn: String = "id", genderColumn: String = "gender",
                            categoryColumn: String = "articleType", onBadRow: OnBadRow = .skip) throws -> Loaded<CatalogRecord> {
        guard isFolder(images) else { throw DataIssue(file: images.path, reason: "not a folder") }
        var log = IssueLog(onBadRow)
        let table = try DelimitedTable(url: csv, issues: &log)
        let c = try table.columns([idColumn, genderColumn, categoryColumn])
        var seen = Set<String>()
        let records = try log.records(of: table) { f -> CatalogRecord in
            let (id, gender, category) = (field(f[c[0]]), field(f[c[1]]), field(f[c[2]]))
            for (name, value) in [(idColumn, id), (genderColumn, gender), (categoryColumn, category)] where value.isEmpty {
                throw RowError("empty \(name)")
            }
            guard seen.insert(id).inserted else { throw RowError("\(idColumn) \(id) given twice") }
            return CatalogRecord(id: id, image: try LabelsCSVReader.imageFile(named: id, in: images), gender: gender, category: category)
        }
        return Loaded(records: records, issues: log.issues)
    }

    private static func field(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }
}
