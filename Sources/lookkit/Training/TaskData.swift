import Datasets
import Foundation
import Models

/// The labelled photos a run trains and evaluates on, read as its config says.
struct TaskData {
    let train: [LabeledImage]
    /// Retrieval: the queries; classification: the held-out split.
    let queries: [LabeledImage]
    /// Retrieval gallery (queries included), empty for classification.
    let gallery: [LabeledImage]
    let classes: [String]
    let issues: [DataIssue]

    /// A folder dataset with `train/`, `validation/`, `test/` class folders (clothing-dataset-small):
    /// train on train; test photos query test + validation (validation alone when there is no test/). Or a `styles.csv` (fashion-product-images)
    /// with `labelColumn`: a fixed stratified 80/20 split.
    static func load(_ config: RunConfig.DataConfig, seed: UInt64) throws -> TaskData {
        let root = URL(fileURLWithPath: config.root)
        let keep = { (records: [LabeledImage]) in config.classes.map { c in records.filter { c.contains($0.label) } } ?? records }
        if root.pathExtension == "csv" {
            let styles = try ProductStylesReader.read(root)
            let column = config.labelColumn ?? "gender"
            let records = try keep(styles.records.map { style in
                LabeledImage(url: style.image, label: try label(of: style, column: column))
            })
            let (train, heldOut) = stratifiedSplit(records, heldOutShare: 0.2, seed: 20_240_601)
            return TaskData(train: train, queries: heldOut, gallery: [], classes: Set(records.map(\.label)).sorted(),
                            issues: styles.issues)
        }
        // Without a test split (the bundled demo data), validation photos query each other.
        let names = ["train", "test", "validation"].filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        guard names.count >= 2, names[0] == "train" else {
            throw DataIssue(file: root.path, reason: "expected train/ and validation/ (or test/) class folders")
        }
        let splits = try names.map { try ImageFolderReader.read(root.appendingPathComponent($0), split: $0) }
        let train = keep(splits[0].records), queries = keep(splits[1].records)
        return TaskData(train: train, queries: queries, gallery: splits.dropFirst().flatMap { keep($0.records) },
                        classes: Set(train.map(\.label)).sorted(), issues: splits.flatMap(\.issues))
    }

    private static func label(of style: ProductStyle, column: String) throws -> String {
        switch column {
        case "gender": style.gender
        case "masterCategory": style.masterCategory
        case "subCategory": style.subCategory
        case "articleType": style.articleType
        case "baseColour": style.baseColour
        default: throw DataIssue(file: "config", reason: "unknown label column '\(column)'")
        }
    }
}
