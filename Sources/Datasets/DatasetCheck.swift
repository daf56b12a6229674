import Foundation
import LookKitCore

/// What `lookkit data check` found: counts per split and class, and every problem as `file:line: reason`.
public struct CheckReport: Codable, Sendable {
    public struct ClassCount: Codable, Sendable, Equatable {
        public let name: String
        public var images = 0, boxes = 0
    }
    public struct Split: Codable, Sendable {
        public let name: String
        public var images = 0, boxes = 0
        public var classes: [ClassCount] = []
    }

    public let format: String
    public let path: String
    /// Totals over the splits (outfits and their items for outfit data).
    public private(set) var images = 0, boxes = 0
    public private(set) var splits: [Split] = []
    public var problems: [String] = []

    /// One split's counts from (class name, boxes in that image or 0 for a label) per image.
    mutating func addSplit(_ name: String, _ entries: [(classes: [String], boxes: Int)], order: [String]? = nil) {
        var split = Split(name: name)
        var counts: [String: ClassCount] = [:]
        for entry in entries {
            split.images += 1
            split.boxes += entry.boxes
            for name in Set(entry.classes) { counts[name, default: ClassCount(name: name)].images += 1 }
            if entry.boxes > 0 { for name in entry.classes { counts[name, default: ClassCount(name: name)].boxes += 1 } }
        }
        split.classes = (order ?? counts.keys.sorted()).map { counts[$0] ?? ClassCount(name: $0) }
        splits.append(split)
        images += split.images
        boxes += split.boxes
    }

    public var text: String {
        var lines = ["\(format) \(path): \(counted(images, "image")), \(counted(boxes, "box", plural: "boxes")), \(counted(problems.count, "problem"))"]
        for split in splits {
            lines.append("split \(split.name): \(counted(split.images, "image")), \(counted(split.boxes, "box", plural: "boxes"))")
            let width = max(5, split.classes.map(\.name.count).max() ?? 0)
            lines.append("  " + "class".padding(toLength: width, withPad: " ", startingAt: 0) + "  images  boxes")
            for c in split.classes {
                lines.append("  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0)
                             + String(format: "  %6d  %5d", c.images, c.boxes))
            }
        }
        if !problems.isEmpty { lines += ["problems:"] + problems }
        return lines.joined(separator: "\n")
    }
}

/// Arguments `data check` cannot work with (exit code 2), as opposed to problems in the data.
public struct CheckUsageError: Error, CustomStringConvertible {
    public let description: String
}

public enum CheckFormat: String, CaseIterable, Sendable { case folder, csv, yolo, stl, ctl, outfits }

/// Validates a dataset like yolov5's label checks: every label row and every image decoded.
public enum DatasetCheck {
    public static func run(_ path: URL, format: CheckFormat, progress: ((Int, Int) -> Void)? = nil) throws -> CheckReport {
        guard fileExists(path) else { throw CheckUsageError(description: "\(path.path) does not exist") }
        var report = CheckReport(format: format.rawValue, path: path.path)
        do {
            switch format {
            case .folder: try checkFolders(path, &report, progress)
            case .csv: try checkCSV(path, &report, progress)
            case .yolo: try checkYOLO(path, &report, progress)
            case .stl: try checkSTL(path, &report)
            case .ctl: try checkCTL(path, &report)
            case .outfits: try checkOutfits(path, &report, progress)
            }
        } catch let issue as DataIssue {
            report.problems.append(issue.description)
        }
        return report
    }

    static func requireFolder(_ url: URL, _ format: CheckFormat) throws {
        guard isFolder(url) else { throw CheckUsageError(description: "--format \(format.rawValue) needs a folder, \(url.path) is a file") }
    }

    static func requireFile(_ url: URL, _ format: CheckFormat) throws {
        guard !isFolder(url) else { throw CheckUsageError(description: "--format \(format.rawValue) needs a file, \(url.path) is a folder") }
    }

    /// Decodes every image (in parallel) and returns the problems, in input order.
    static func decodeAll(_ urls: [URL], progress: ((Int, Int) -> Void)?) -> [String] {
        var problems = [String?](repeating: nil, count: urls.count)
        let lock = NSLock()
        var done = 0
        problems.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: urls.count) { i in
                do { _ = try Image(contentsOf: urls[i]) } catch { slots[i] = "\(error)" }
                let finished = lock.withLock { done += 1; return done }
                progress?(finished, urls.count)
            }
        }
        return problems.compactMap { $0 }
    }

    static func checkFolders(_ root: URL, _ report: inout CheckReport, _ progress: ((Int, Int) -> Void)?) throws {
        try requireFolder(root, .folder)
        // Either <root>/<split>/<class>/<image> or <root>/<class>/<image>.
        let children = try sortedContents(of: root).filter(isFolder)
        let nested = !children.isEmpty && children.allSatisfy { ((try? sortedContents(of: $0)) ?? []).filter(isImageFile).isEmpty }
        var all: [URL] = []
        for (name, folder) in nested ? children.map { ($0.lastPathComponent, $0) } : [("all", root)] {
            let loaded = try ImageFolderReader.read(folder, split: name)
            report.problems += loaded.issues.map(\.description)
            report.addSplit(name, loaded.records.map { ([$0.label], 0) })
            all += loaded.records.map(\.url)
        }
        report.problems += decodeAll(all, progress: progress)
    }

    static func checkCSV(_ file: URL, _ report: inout CheckReport, _ progress: ((Int, Int) -> Void)?) throws {
        try requireFile(file, .csv)
        let header = try numberedLines(of: file).first?.text ?? ""
        let root = file.deletingLastPathComponent()
        var images: [URL] = [], imageFolders: [URL] = []
        if header.contains("articleType") {
            let loaded = try ProductStylesReader.read(file)
            report.problems += loaded.issues.map(\.description)
            report.addSplit("all", loaded.records.map { ([$0.articleType], 0) })
            images = loaded.records.map(\.image)
            imageFolders = [root.appendingPathComponent("images")]
        } else if header.contains("full_dataset_label") {
            let loaded = try ClothingLabelsReader.read(file)
            report.problems += loaded.issues.map(\.description)
            for split in ClothingLabelsReader.splits {
                report.addSplit(split, loaded.records.filter { $0.image.split == split }.map { ([$0.image.label], 0) })
            }
            images = loaded.records.map(\.image.url)
            imageFolders = ClothingLabelsReader.splits.map { root.appendingPathComponent($0) }
        } else {
            throw CheckUsageError(description: "\(file.path): unknown CSV (expected clothing labels.csv or Myntra styles.csv)")
        }
        // The other direction: image files that no row mentions.
        let listed = Set(images.map(\.standardizedFileURL.path))
        for folder in imageFolders {
            for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) ?? .init()
            where isImageFile(url) && !listed.contains(url.standardizedFileURL.path) {
                report.problems.append("\(url.path): image has no row in \(file.lastPathComponent)")
            }
        }
        report.problems += decodeAll(images, progress: progress)
    }

    static func checkYOLO(_ path: URL, _ report: inout CheckReport, _ progress: ((Int, Int) -> Void)?) throws {
        let dataset = try YOLOReader.read(path)
        report.problems += dataset.issues.map(\.description)
        for (name, samples) in dataset.splits {
            report.addSplit(name, samples.map { sample in (sample.boxes.map { dataset.names[$0.classID] }, sample.boxes.count) },
                            order: dataset.names)
        }
        report.problems += decodeAll(dataset.allSamples.map(\.image), progress: progress)
    }

    /// A folder holding `fashion-cat.json` and/or `fashion.json`, or one of those files.
    static func checkSTL(_ path: URL, _ report: inout CheckReport) throws {
        var categories: Loaded<(product: String, category: String)>?
        var pairs: URL?
        if isFolder(path) {
            let (categoryFile, pairsFile) = (path.appendingPathComponent("fashion-cat.json"), path.appendingPathComponent("fashion.json"))
            guard fileExists(categoryFile) || fileExists(pairsFile) else {
                throw CheckUsageError(description: "\(path.path) has neither fashion-cat.json nor fashion.json")
            }
            categories = fileExists(categoryFile) ? try STLReader.readCategories(categoryFile) : nil
            pairs = fileExists(pairsFile) ? pairsFile : nil
        } else if let whole = try? STLReader.readCategories(path), !whole.records.isEmpty {
            categories = whole // one JSON object of product -> category
        } else {
            pairs = path // one pair object per line
        }
        if let categories {
            report.problems += categories.issues.map(\.description)
            report.addSplit("products", categories.records.map { ([$0.category], 0) })
        }
        if let pairs {
            let known = Dictionary((categories?.records ?? []).map { ($0.product, $0.category) }, uniquingKeysWith: { a, _ in a })
            let scenes = try STLReader.readScenes(pairs, categories: known)
            report.problems += scenes.issues.map(\.description)
            report.addSplit("scenes", scenes.records.map { ($0.items.map(\.category), $0.items.count) })
        }
    }

    static func checkCTL(_ file: URL, _ report: inout CheckReport) throws {
        try requireFile(file, .ctl)
        let loaded = try CTLReader.read(file)
        report.problems += loaded.issues.map(\.description)
        report.addSplit("outfits", loaded.records.map { ($0.items.map(\.category), $0.items.count) })
    }

    static func checkOutfits(_ path: URL, _ report: inout CheckReport, _ progress: ((Int, Int) -> Void)?) throws {
        let loaded: Loaded<Outfit>
        if isFolder(path) {
            let sampled = fileExists(path.appendingPathComponent("sampled_outfits.csv"))
            loaded = try MangoReader.readOutfits(path, table: sampled ? "sampled_outfits.csv" : "outfit_data.csv", requireImages: sampled)
        } else {
            let folder = path.deletingLastPathComponent()
            let images = folder.appendingPathComponent("images")
            loaded = try PolyvoreReader.read(outfits: path, metadata: folder.appendingPathComponent("polyvore_item_metadata.json"),
                                             images: isFolder(images) ? images : nil)
        }
        report.problems += loaded.issues.map(\.description)
        report.addSplit("outfits", loaded.records.map { ($0.items.map(\.category), $0.items.count) })
        let images = Array(Set(loaded.records.flatMap { $0.items.compactMap(\.image) })).sorted { $0.path < $1.path }
        report.problems += decodeAll(images, progress: progress)
    }
}
