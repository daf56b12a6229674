import Datasets
import Foundation
import LookKitCore
import ModelEvaluation

/// The labelled photos a classification or retrieval run trains, validates and tests on.
public struct LabeledPhotoSplits {
    public let train: [LabeledImage]
    /// Scored at epoch ends to choose `best`; never the test split when one exists.
    public let validation: EvaluationPhotos
    /// Scored once, with the best weights, at the end of the run.
    public let test: EvaluationPhotos
    public let classes: [String]
    /// Classes kept out of training (`data.unseenClasses`): their photos are scored as classes the
    /// model never saw, beside the seen ones.
    public var unseenClasses: Set<String> = []
    public let issues: [DataIssue]

    /// A folder dataset with `train/`, `validation/` and `test/` class folders (clothing-dataset-small):
    /// train on train, validate on validation (querying itself), test photos query test + validation.
    /// Without `test/` (the bundled demo data) validation photos serve as the test queries too.
    /// Or a products `styles.csv` labelled by `config.labelColumn`: a fixed stratified 80/20
    /// train/held-out split, with a tenth of the training part kept aside for validation.
    ///
    /// With `config.unseenClasses`, those classes never train: validation queries the validation
    /// photos of the other classes together with every non-test photo of the unseen ones, so that
    /// `best` is chosen by how well the model ranks classes it never trained on.
    public static func load(_ config: RunConfig.DataConfig) throws -> LabeledPhotoSplits {
        let splits = try loadAllClasses(config)
        let unseen = Set(config.unseenClasses ?? [])
        guard !unseen.isEmpty else { return splits }
        if let missing = unseen.subtracting(splits.train.map(\.label) + splits.validation.queries.map(\.label)).sorted().first {
            throw ConfigError("data.unseenClasses: '\(missing)' is not a class of \(config.root) (classes: \(splits.classes.joined(separator: ", ")))")
        }
        let (unseenTrain, seenTrain) = (splits.train.filter { unseen.contains($0.label) }, splits.train.filter { !unseen.contains($0.label) })
        return LabeledPhotoSplits(train: seenTrain, validation: EvaluationPhotos(split: "validation", queries: splits.validation.queries + unseenTrain),
                                  test: splits.test, classes: Set(seenTrain.map(\.label)).sorted(), unseenClasses: unseen, issues: splits.issues)
    }

    private static func loadAllClasses(_ config: RunConfig.DataConfig) throws -> LabeledPhotoSplits {
        let root = URL(fileURLWithPath: config.root)
        let keep = { (records: [LabeledImage]) in config.classes.map { c in records.filter { c.contains($0.label) } } ?? records }
        if root.pathExtension == "csv" {
            let styles = try ProductStylesReader.read(root)
            let records = keep(styles.records.map { LabeledImage(url: $0.image, label: config.labelColumn.value(of: $0)) })
            let (trainPart, heldOut) = stratifiedSplit(records, heldOutShare: 0.2, seed: 20_240_601)
            let (train, validation) = stratifiedSplit(trainPart, heldOutShare: 0.1, seed: 20_240_602)
            return LabeledPhotoSplits(train: train, validation: EvaluationPhotos(split: "validation", queries: validation),
                                      test: EvaluationPhotos(split: "held-out", queries: heldOut),
                                      classes: Set(records.map(\.label)).sorted(), issues: styles.issues)
        }
        let names = ["train", "validation", "test"].filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        guard names.starts(with: ["train", "validation"]) else {
            throw DataIssue(file: root.path, reason: "expected train/ and validation/ (and optionally test/) class folders")
        }
        let loaded = try names.map { try ImageFolderReader.read(root.appendingPathComponent($0), split: $0) }
        let splits = loaded.map { keep($0.records) }
        let validation = EvaluationPhotos(split: "validation", queries: splits[1])
        let test = splits.count == 3 ? EvaluationPhotos(split: "test", queries: splits[2], gallery: splits[2] + splits[1]) : validation
        return LabeledPhotoSplits(train: splits[0], validation: validation, test: test,
                                  classes: Set(splits[0].map(\.label)).sorted(), issues: loaded.flatMap(\.issues))
    }
}

extension ProductColumn {
    func value(of style: ProductStyle) -> String {
        switch self {
        case .gender: style.gender
        case .masterCategory: style.masterCategory
        case .subCategory: style.subCategory
        case .articleType: style.articleType
        case .baseColour: style.baseColour
        }
    }
}
