import Foundation
import LookKitCore

/// One labelled photo; `group` is who or what produced it (e.g. the sender), for leakage-free splits.
public struct LabeledImage: Sendable, Hashable {
    public let url: URL
    public let label: String
    public let split: String?
    public let group: String?
    public init(url: URL, label: String, split: String? = nil, group: String? = nil) {
        (self.url, self.label, self.split, self.group) = (url, label, split, group)
    }
}

let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

func isImageFile(_ url: URL) -> Bool { imageExtensions.contains(url.pathExtension.lowercased()) }

func sortedContents(of folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        .sorted { $0.path < $1.path }
}

/// Every image file under `folder`, at any depth, sorted by path (e.g. a catalog to embed).
public func imageFiles(under folder: URL) throws -> [URL] {
    guard isFolder(folder) else { throw DataIssue(file: folder.path, reason: "not a folder") }
    let found = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
    return (found?.allObjects as? [URL] ?? []).filter(isImageFile).map(\.standardizedFileURL).sorted { $0.path < $1.path }
}

/// A detector's `--source`: an image file, a folder (every image under it), or an ultralytics image
/// list (.txt, one path per line, relative ones from the list's folder).
public func imageFiles(at source: URL) throws -> [URL] {
    if isFolder(source) { return try imageFiles(under: source) }
    guard fileExists(source) else { throw NotFoundError("\(source.path): no such image or folder") }
    if source.pathExtension.lowercased() == "txt" {
        return try numberedLines(of: source).map { line, text in
            let image = YOLOReader.resolved(String(text.trimmingCharacters(in: .whitespaces)), from: source.deletingLastPathComponent())
            guard isImageFile(image) else { throw DataIssue(file: source.path, line: line, reason: "'\(text)' is not an image file name") }
            return image
        }
    }
    guard isImageFile(source) else { throw DataIssue(file: source.path, reason: "not an image file (\(imageExtensions.sorted().joined(separator: ", ")))") }
    return [source]
}

func isFolder(_ url: URL) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
}

/// `<root>/<class>/<image>` folders (torchvision's ImageFolder); other files are reported.
public enum ImageFolderReader {
    public static func read(_ root: URL, split: String? = nil, onBadRow: OnBadRow = .skip) throws -> Loaded<LabeledImage> {
        guard isFolder(root) else { throw DataIssue(file: root.path, reason: "not a folder") }
        var log = IssueLog(onBadRow)
        var records: [LabeledImage] = []
        for classFolder in try sortedContents(of: root) where isFolder(classFolder) {
            for file in try sortedContents(of: classFolder) {
                if isImageFile(file) {
                    records.append(LabeledImage(url: file, label: classFolder.lastPathComponent, split: split))
                } else {
                    try log.report(file, "not an image file (expected .jpg, .jpeg, .png or .webp)")
                }
            }
        }
        return Loaded(records: records, issues: log.issues)
    }
}

/// clothing-dataset-small's `labels.csv`: path,split,class,image_id,full_dataset_label,kids,sender_id.
public struct ClothingPhoto: Sendable, Hashable {
    public let image: LabeledImage
    public let imageID: String
    /// The full dataset's 20-class label, e.g. "T-Shirt".
    public let fullLabel: String
    public let kids: Bool
    public let senderID: Int
}

public enum ClothingLabelsReader {
    static let splits = ["train", "validation", "test"]

    public static func read(_ csv: URL, onBadRow: OnBadRow = .skip) throws -> Loaded<ClothingPhoto> {
        var log = IssueLog(onBadRow)
        let table = try DelimitedTable(url: csv, issues: &log)
        let c = try table.columns(["path", "split", "class", "image_id", "full_dataset_label", "kids", "sender_id"])
        let root = csv.deletingLastPathComponent()
        let records = try log.records(of: table) { f -> ClothingPhoto in
            guard splits.contains(f[c[1]]) else { throw RowError("split '\(f[c[1]])' is not train, validation or test") }
            guard !f[c[2]].isEmpty else { throw RowError("empty class") }
            guard let kids = ["True": true, "False": false][f[c[5]]] else { throw RowError("kids '\(f[c[5]])' is not True or False") }
            let url = root.appendingPathComponent(f[c[0]])
            guard fileExists(url) else { throw RowError("image \(f[c[0]]) is missing") }
            return ClothingPhoto(image: LabeledImage(url: url, label: f[c[2]], split: f[c[1]], group: f[c[6]]),
                                 imageID: f[c[3]], fullLabel: f[c[4]], kids: kids, senderID: try f[c[6]].integer("sender_id"))
        }
        return Loaded(records: records, issues: log.issues)
    }
}

/// fashion-product-images' `styles.csv`: one product photo with its Myntra attributes.
public struct ProductStyle: Sendable, Hashable {
    public let id: Int
    public let gender, masterCategory, subCategory, articleType, baseColour, season, usage, name: String
    public let year: Int?
    public let image: URL
}

public enum ProductStylesReader {
    public static func read(_ csv: URL, onBadRow: OnBadRow = .skip) throws -> Loaded<ProductStyle> {
        var log = IssueLog(onBadRow)
        let table = try DelimitedTable(url: csv, issues: &log)
        let c = try table.columns(["id", "gender", "masterCategory", "subCategory", "articleType", "baseColour",
                                   "season", "year", "usage", "productDisplayName", "image"])
        let root = csv.deletingLastPathComponent()
        let records = try log.records(of: table) { f -> ProductStyle in
            let id = try f[c[0]].integer("id")
            for (name, i) in [("gender", 1), ("masterCategory", 2), ("articleType", 4)] where f[c[i]].isEmpty {
                throw RowError("empty \(name)")
            }
            let image = root.appendingPathComponent(f[c[10]].isEmpty ? "images/\(id).jpg" : f[c[10]])
            guard fileExists(image) else { throw RowError("image \(image.lastPathComponent) is missing") }
            return ProductStyle(id: id, gender: f[c[1]], masterCategory: f[c[2]], subCategory: f[c[3]],
                                articleType: f[c[4]], baseColour: f[c[5]], season: f[c[6]], usage: f[c[8]],
                                name: f[c[9]], year: f[c[7]].isEmpty ? nil : try f[c[7]].integer("year"), image: image)
        }
        return Loaded(records: records, issues: log.issues)
    }
}
