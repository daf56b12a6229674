import Foundation

/// Any labelled image set a user points at: a folder of images and a CSV whose `idColumn` names each
/// image file (with or without its extension) and whose `labelColumn` holds its label.
public enum LabelsCSVReader {
    public static func read(_ csv: URL, images: URL, idColumn: String = "id", labelColumn: String = "label",
                            onBadRow: OnBadRow = .skip) throws -> Loaded<LabeledImage> {
        guard isFolder(images) else { throw DataIssue(file: images.path, reason: "not a folder") }
        var log = IssueLog(onBadRow)
        let table = try DelimitedTable(url: csv, issues: &log)
        let c = try table.columns([idColumn, labelColumn])
        let records = try log.records(of: table) { f -> LabeledImage in
            let id = f[c[0]].trimmingCharacters(in: .whitespaces), label = f[c[1]].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { throw RowError("empty \(idColumn)") }
            guard !label.isEmpty else { throw RowError("empty \(labelColumn)") }
            return LabeledImage(url: try imageFile(named: id, in: images), label: label)
        }
        return Loaded(records: records, issues: log.issues)
    }

    /// The image file `id` names in `images`: the name itself, or the name plus an image extension.
    static func imageFile(named id: String, in images: URL) throws -> URL {
        let candidates = [id] + ["jpg", "jpeg", "png", "webp"].map { "\(id).\($0)" }
        guard let file = candidates.map({ images.appendingPathComponent($0) }).first(where: { isImageFile($0) && fileExists($0) })
        else { throw RowError("no image named \(id) in \(images.path)") }
        return file
    }
}
