import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import Pipeline
import Torch
import Training

extension EvalCommand {
    /// `lookkit eval look`: the whole pipeline on street photos with garment boxes.
    struct Look: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the pipeline on labelled street photos: gender never crossed, categories, garment coverage, latency.",
            discussion: """
                Runs `recommend` on every photo of --data's --split (a YOLO folder or data.yaml in the detector's classes; `val` \
                is carved as the detector's training carved it) and reports products of the wrong gender, similar products \
                in a category their garment maps to, the share of each photo's labelled garment classes the detector finds, \
                and milliseconds per stage. \(ErrorCategory.exitCodeTable)
                """)

        @Option(help: "A catalog folder of `lookkit catalog build`.") var catalog: String
        @Option(help: "Street photos with YOLO garment labels.") var data: String
        @Option(help: "Split of --data (default: its val split, else every photo).") var split: String?
        @Option(help: "At most this many photos.") var limit: Int?
        @Option(help: "Products per garment and per complementary category.") var k = 5
        @Option(help: "enforce, warn or off.") var poseGate: PoseGateMode = .warn
        @OptionGroup var models: PipelineModelOptions

        func run() throws {
            let recommender = try models.recommender(catalog: catalog, poseGate: poseGate != .off)
            let names = recommender.detector.names
            let (split, samples, issues) = try RestoredDetector.samples(data: URL(fileURLWithPath: data), split: split, names: names,
                                                                       config: recommender.detector.config)
            for issue in issues.prefix(10) { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
            let chosen = Array(samples.prefix(limit ?? samples.count))
            var evaluation = LookEvaluation()
            var bar = ProgressBar(total: chosen.count, label: "look", unit: "photo")
            for (done, sample) in chosen.enumerated() {
                do {
                    let photo = try Image(contentsOf: sample.image)
                    let result = try recommender.recommend(photo, name: sample.image.path, options: RecommendOptions(k: k, poseGate: poseGate))
                    evaluation.add(result, trueClasses: Set(sample.boxes.map { names[$0.classID] }), map: recommender.catalog.categoryMap)
                } catch let error as VisionError {
                    FileHandle.standardError.write(Data("skipped \(sample.image.path): \(error)\n".utf8))
                }
                bar.update(done + 1)
            }
            print("\(split) split of \(data), catalog \(catalog), gender from the \(models.genderFrom.rawValue)\n")
            print(evaluation.table.markdown)
            print("\n" + evaluation.latencyTable.markdown)
        }
    }
}

extension EvalCommand {
    /// `lookkit eval wearer-gender`: whole photo vs garment vote on labelled street photos.
    struct WearerGender: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wearer-gender", abstract: "The gender classifier on street photos: whole photo vs a vote over the detected garments.",
            discussion: """
                --labels is a CSV naming photos of --images (--id-column) with the wearer's gender (--label-column); rows whose \
                label is not one of the classifier's classes (e.g. 'unsure') are left out. \(ErrorCategory.exitCodeTable)
                """)

        @Option(help: "Folder of street photos.") var images: String
        @Option(help: "CSV of labelled photos (datasets/labels/street-photos.csv).") var labels: String
        @Option(help: "Column naming the photo.") var idColumn = "file"
        @Option(help: "Column holding the wearer's gender.") var labelColumn = "gender"
        @OptionGroup var models: PipelineModelOptions

        func run() throws {
            let files = models.files
            let device = try Device.usable(models.device)
            let detector = try GarmentDetector(checkpoint: files.detector, device: device)
            let gender = PersonGender(classifier: try PhotoNetwork(checkpoint: files.gender, for: .classification, device: device))
            let loaded = try LabelsCSVReader.read(URL(fileURLWithPath: labels), images: URL(fileURLWithPath: images), idColumn: idColumn, labelColumn: labelColumn)
            for issue in loaded.issues { FileHandle.standardError.write(Data("skipped \(issue)\n".utf8)) }
            let usable = loaded.records.filter { gender.classifier.classes.contains($0.label) }
            var evaluation = WearerGenderEvaluation()
            var bar = ProgressBar(total: usable.count, label: "wearer gender", unit: "photo")
            for (done, record) in usable.enumerated() {
                do {
                    try evaluation.add(try Image(contentsOf: record.url), file: record.url.lastPathComponent, label: record.label, detector: detector, gender: gender)
                } catch let error as VisionError {
                    FileHandle.standardError.write(Data("skipped \(record.url.path): \(error)\n".utf8))
                }
                bar.update(done + 1)
            }
            print("\(evaluation.photos.count) labelled photos (\(loaded.records.count - usable.count) with another label left out), classifier \(files.gender.path)\n")
            print(evaluation.table.markdown)
        }
    }
}
