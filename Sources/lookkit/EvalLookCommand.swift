import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import Pipeline
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
