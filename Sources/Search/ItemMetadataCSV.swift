import Foundation
import LookKitCore

/// Ids and filterable metadata of indexed vectors, from a CSV with a header and one row per
/// vector in the same order: an optional integer `id` column (else ids are row numbers from 0),
/// every other column a metadata key, e.g. `id,gender,category` or `lookkit embed`'s `id,path,label`.
/// A file that does not read so is a `MalformedFile` naming it (and the line), exit code 2.
public enum ItemMetadataCSV {
    public static func read(_ url: URL, rows: Int) throws -> (ids: [Int64], items: [ItemMetadata]) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SearchError.missingFile(url.path) }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw MalformedFile(file: url.path, reason: "not UTF-8 text")
        }
        let records = try CSV.rows(text) { line, reason in throw MalformedFile(file: url.path, line: line, reason: reason) }
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw MalformedFile(file: url.path, reason: "empty metadata file, expected a header")
        }
        guard records.count - 1 == rows else {
            throw MalformedFile(file: url.path, reason: "\(records.count - 1) metadata rows for \(rows) vectors")
        }
        let idColumn = header.firstIndex(of: "id")
        var ids: [Int64] = [], items: [ItemMetadata] = []
        for record in records.dropFirst() {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == header.count else {
                throw MalformedFile(file: url.path, line: record.line, reason: "\(fields.count) fields, header has \(header.count)")
            }
            if let idColumn {
                guard let id = Int64(fields[idColumn]) else {
                    throw MalformedFile(file: url.path, line: record.line, reason: "id '\(fields[idColumn])' is not an integer")
                }
                ids.append(id)
            } else {
                ids.append(Int64(ids.count))
            }
            items.append(Dictionary(zip(header, fields).filter { $0.0 != "id" }, uniquingKeysWith: { first, _ in first }))
        }
        return (ids, items)
    }
}
