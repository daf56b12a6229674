import Foundation
import LookKitCore

/// An image with its boxes; `labelFile` is where they came from.
public struct DetectionSample: Sendable, Hashable {
    public let image: URL
    public let labelFile: URL
    public var boxes: [LabeledBox]
    public var id: String { image.deletingPathExtension().lastPathComponent }
}

/// A YOLO detection dataset: class names and the samples of each split.
public struct DetectionDataset: Sendable {
    public var names: [String]
    public var splits: [(name: String, samples: [DetectionSample])]
    public var issues: [DataIssue]
    public var allSamples: [DetectionSample] { splits.flatMap(\.samples) }
    public func samples(_ split: String) -> [DetectionSample] { splits.first { $0.name == split }?.samples ?? [] }
}

public enum YOLOReader {
    /// Corner tolerance: upstream labels are rounded to 6 decimals, so edges may sit 5e-7 outside.
    static let edgeTolerance = 1e-4
    /// Far above any real dataset (LVIS has 1,203 classes, ImageNet-21k 21,841).
    static let maximumClassCount = 100_000

    /// Reads a `data.yaml` (ultralytics: `path`, `train`, `val`, `names`; a split is an images
    /// folder, a .txt list of image paths, or a list of either), or a folder holding
    /// `images/` + `labels/` with names from `classes.txt` (one per line) or a `data.yaml` inside.
    public static func read(_ location: URL, onBadRow: OnBadRow = .skip) throws -> DetectionDataset {
        if !isFolder(location) { return try readDataYAML(location, onBadRow: onBadRow) }
        let yaml = location.appendingPathComponent("data.yaml")
        if fileExists(yaml) { return try readDataYAML(yaml, onBadRow: onBadRow) }
        let names = try readClassNames(location.appendingPathComponent("classes.txt"))
        let split = try readSplit(images: location.appendingPathComponent("images"),
                                  labels: location.appendingPathComponent("labels"), classCount: names.count, onBadRow: onBadRow)
        return DetectionDataset(names: names, splits: [("all", split.records)], issues: split.issues)
    }

    static func readDataYAML(_ url: URL, onBadRow: OnBadRow) throws -> DetectionDataset {
        let yaml = try YAMLDocument(url)
        let names = try classNames(yaml)
        var base = url.deletingLastPathComponent()
        if let path = yaml["path"], let folder = path.string, !folder.isEmpty {
            base = resolved(folder, from: base)
        }
        var dataset = DetectionDataset(names: names, splits: [], issues: [])
        for split in ["train", "val", "test"] {
            guard let value = yaml[split] else { continue }
            var loaded = Loaded<DetectionSample>()
            for (source, node) in try yaml.strings(value, split) where !source.isEmpty {
                let location = resolved(source, from: base)
                let part: Loaded<DetectionSample>
                if isFolder(location) {
                    part = try readSplit(images: location, labels: labelsFolder(for: location), classCount: names.count, onBadRow: onBadRow)
                } else if location.pathExtension == "txt", fileExists(location) {
                    part = try readImageList(location, classCount: names.count, onBadRow: onBadRow)
                } else {
                    throw yaml.issue(at: node, "\(split) \(location.path) is neither an images folder nor a .txt image list")
                }
                loaded.records += part.records
                loaded.issues += part.issues
            }
            dataset.splits.append((split, loaded.records))
            dataset.issues += loaded.issues
        }
        return dataset
    }

    /// ultralytics' `names`: a list, or a `{0: name, 1: name}` map keyed 0..<n in any order; with
    /// only `nc`, classes are named class0, class1, … When both are given they must agree.
    static func classNames(_ yaml: YAMLDocument) throws -> [String] {
        let count = try yaml["nc"].map { node in
            guard let nc = node.int, nc >= 0 else { throw yaml.issue(at: node, "nc should be a class count") }
            // Class names are made for every class when `names` is absent, so an absurd count would exhaust memory.
            guard nc <= maximumClassCount else { throw yaml.issue(at: node, "nc \(nc) is more than \(maximumClassCount) classes") }
            return nc
        }
        var names: [String]
        if let node = yaml["names"], let map = node.mapping {
            let pairs = try map.map { key, value in
                guard let id = key.int, let name = value.string else { throw yaml.issue(at: key, "names map entries should be 'id: name'") }
                return (id, name)
            }.sorted { $0.0 < $1.0 }
            guard pairs.map(\.0) == Array(pairs.indices) else { throw yaml.issue(at: node, "names map keys must be 0, 1, 2, …") }
            names = pairs.map(\.1)
        } else if let node = yaml["names"] {
            names = try yaml.strings(node, "names").map(\.text)
        } else if let count {
            names = (0..<count).map { "class\($0)" }
        } else {
            throw DataIssue(file: yaml.file, reason: "no 'names' list (nor 'nc')")
        }
        if let count, count != names.count {
            throw yaml.issue(at: yaml["nc"], "nc is \(count) but names lists \(names.count) classes")
        }
        return names
    }

    /// An ultralytics image list: one image path per line, relative paths (`./images/x.jpg` or
    /// `images/x.jpg`) taken from the list's folder. Each image's labels follow the `images` →
    /// `labels` rule of its own folder.
    static func readImageList(_ list: URL, classCount: Int, onBadRow: OnBadRow) throws -> Loaded<DetectionSample> {
        var log = IssueLog(onBadRow)
        let folder = list.deletingLastPathComponent()
        var images: [URL] = []
        for (line, text) in try numberedLines(of: list) {
            let path = text.trimmingCharacters(in: .whitespaces)
            let image = resolved(path, from: folder)
            if !isImageFile(image) {
                try log.report(list, line: line, "'\(path)' is not an image file name")
            } else if !fileExists(image) {
                try log.report(list, line: line, "image \(image.path) does not exist")
            } else {
                images.append(image)
            }
        }
        let samples = try readSamples(images, classCount: classCount, log: &log) {
            labelsFolder(for: $0.deletingLastPathComponent())
        }
        return Loaded(records: samples, issues: log.issues)
    }

    /// A path as a dataset file writes it: absolute, or relative to `base`.
    static func resolved(_ path: String, from base: URL) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)).standardizedFileURL
    }

    /// ultralytics' rule: the last `images` path component becomes `labels`.
    static func labelsFolder(for images: URL) -> URL {
        var parts = images.standardizedFileURL.pathComponents.dropFirst() // drop the root "/"
        if let i = parts.lastIndex(of: "images") { parts[i] = "labels" } else { parts.append("labels") }
        return URL(fileURLWithPath: "/" + parts.joined(separator: "/"))
    }

    static func readClassNames(_ url: URL) throws -> [String] {
        guard fileExists(url) else { throw DataIssue(file: url.path, reason: "missing class list (classes.txt or data.yaml)") }
        return try numberedLines(of: url).map { $0.text.trimmingCharacters(in: .whitespaces) }
    }

    /// Pairs images with `<labels>/<stem>.txt`; an image without labels or labels without an
    /// image is an issue, as is every bad row (the rest of that file is kept).
    static func readSplit(images: URL, labels: URL, classCount: Int, onBadRow: OnBadRow) throws -> Loaded<DetectionSample> {
        var log = IssueLog(onBadRow)
        let imageFiles = try sortedContents(of: images).filter(isImageFile)
        let stems = Set(imageFiles.map { $0.deletingPathExtension().lastPathComponent })
        if isFolder(labels) {
            for label in try sortedContents(of: labels) where label.pathExtension == "txt"
                && !stems.contains(label.deletingPathExtension().lastPathComponent) {
                try log.report(label, "label file has no image in \(images.path)")
            }
        }
        let samples = try readSamples(imageFiles, classCount: classCount, log: &log) { _ in labels }
        return Loaded(records: samples, issues: log.issues)
    }

    /// Pairs each image with `<labels folder>/<stem>.txt`; an image without one is an issue.
    static func readSamples(_ images: [URL], classCount: Int, log: inout IssueLog,
                            labelsFolder: (URL) -> URL) throws -> [DetectionSample] {
        var samples: [DetectionSample] = []
        for image in images {
            let labelFile = labelsFolder(image).appendingPathComponent(image.deletingPathExtension().lastPathComponent + ".txt")
            guard fileExists(labelFile) else {
                try log.report(image, "image has no label file \(labelFile.lastPathComponent)")
                continue
            }
            samples.append(DetectionSample(image: image, labelFile: labelFile,
                                           boxes: try readLabelFile(labelFile, classCount: classCount, log: &log)))
        }
        return samples
    }

    static func readLabelFile(_ url: URL, classCount: Int, log: inout IssueLog) throws -> [LabeledBox] {
        var boxes: [LabeledBox] = []
        var seen: [Substring: Int] = [:]
        for (line, text) in try numberedLines(of: url) {
            let box: LabeledBox? = try log.row(url, line: line) {
                let normalized = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if let first = seen[Substring(normalized)] { throw RowError("duplicate of line \(first)") }
                seen[Substring(normalized)] = line
                return try parseRow(text, classCount: classCount, file: url, line: line)
            }
            if let box { boxes.append(box) }
        }
        return boxes
    }

    /// A label row by the shared YOLO parser, plus what a dataset needs on top: a box of positive
    /// size inside the image. Messages quote the numbers as the file writes them.
    static func parseRow(_ text: Substring, classCount: Int, file: URL, line: Int) throws -> LabeledBox {
        let label: LabeledBox
        do { label = try YOLORows.label(text, classCount: classCount, file: file.path, line: line) } catch let error as MalformedFile {
            throw RowError(error.reason) // a bad row is an issue to skip or stop at, as the caller chose
        }
        let f = text.split(whereSeparator: \.isWhitespace)
        guard label.box.width > 0, label.box.height > 0 else { throw RowError("zero-sized box (w \(f[3]), h \(f[4]))") }
        let (box, t) = (label.box, edgeTolerance)
        guard box.x1 >= -t, box.y1 >= -t, box.x2 <= 1 + t, box.y2 <= 1 + t else {
            throw RowError("box outside [0,1] (cx \(f[1]), cy \(f[2]), w \(f[3]), h \(f[4]))")
        }
        return label
    }
}

/// Maps a dataset's classes onto coarser ones from a YAML file of `new_class: [old, old, …]`;
/// old classes not listed are dropped.
public struct ClassRemap: Sendable {
    public let names: [String]
    /// Old class id -> new class id (nil: dropped).
    public let mapping: [Int?]

    public init(yaml url: URL, sourceNames: [String]) throws {
        let yaml = try YAMLDocument(url)
        var names: [String] = []
        var mapping = [Int?](repeating: nil, count: sourceNames.count)
        for (newID, entry) in yaml.entries.enumerated() {
            let newName = entry.key.string ?? ""
            names.append(newName)
            for (old, node) in try yaml.strings(entry.value, "'\(newName)'") {
                guard let oldID = sourceNames.firstIndex(of: old) else {
                    throw yaml.issue(at: node, "unknown class '\(old)' (known: \(sourceNames.joined(separator: ", ")))")
                }
                if let taken = mapping[oldID] {
                    throw yaml.issue(at: node, "'\(old)' already mapped to '\(names[taken])'")
                }
                mapping[oldID] = newID
            }
        }
        self.names = names
        self.mapping = mapping
    }

    /// The dataset with boxes relabelled and boxes of dropped classes removed.
    public func apply(to dataset: DetectionDataset) -> DetectionDataset {
        var out = dataset
        out.names = names
        out.splits = dataset.splits.map { split in
            (split.name, split.samples.map { sample in
                var sample = sample
                sample.boxes = sample.boxes.compactMap { box in
                    mapping[box.classID].map { var b = box; b.classID = $0; return b }
                }
                return sample
            })
        }
        return out
    }
}

extension DetectionDataset {
    /// The split a training run validates on: the dataset's `val`, else `validationFraction` of
    /// `train` (or of a plain folder's images) carved out by a seeded hash of each image's name,
    /// so `train` and `lookkit val --split val` carve the same images whatever else changes.
    /// Returns (train, validation); with a `val` split, train is `train` as read.
    public func trainingSplits(validationFraction: Double, seed: UInt64 = 0) -> (train: [DetectionSample], validation: [DetectionSample]) {
        let train = splits.first { $0.name == "train" }?.samples ?? samples("all")
        let validation = samples("val")
        guard validation.isEmpty else { return (train, validation) }
        let fractions = [(name: "train", share: 1 - validationFraction), (name: "val", share: validationFraction)]
        var carved: ([DetectionSample], [DetectionSample]) = ([], [])
        for sample in train {
            if splitIndex(of: sample.id, fractions, seed: seed) == 0 { carved.0.append(sample) } else { carved.1.append(sample) }
        }
        return carved
    }

    /// A split by name: `train`/`val` as `trainingSplits` carves them (unless the data has its own),
    /// `test`, or `all`.
    public func split(_ name: String, validationFraction: Double, seed: UInt64 = 0) throws -> [DetectionSample] {
        let (train, validation) = trainingSplits(validationFraction: validationFraction, seed: seed)
        switch name {
        case "train": return train
        case "val": return validation
        case "all": return allSamples
        default:
            guard let split = splits.first(where: { $0.name == name }) else {
                throw NotFoundError("no split '\(name)' (have: train, val, all\(splits.contains { $0.name == "test" } ? ", test" : ""))")
            }
            return split.samples
        }
    }
}
