import ArgumentParser
import Foundation
import LookKitCore
import Pose

extension EvalCommand {
    /// `lookkit eval pose`: the pose gate's rules against hand labels (datasets/labels/street-photos.csv).
    struct PoseGateEval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pose",
            abstract: "Accuracy of the pose gate's rules (full shot, front facing, accepted) on labelled photos.",
            discussion: """
                Labels: CSV `file,full_shot,front_facing,gender` (yes/no). Scores are given for all photos and for \
                the two halves the labels split into by file-name hash (tuning, held-out). --crops-cut-legs adds \
                known negatives: the top 55% of every labelled full shot must be "not a full shot". --tune searches \
                the rules' thresholds on the tuning half and reports with the best ones.
                """ + "\n" + ErrorCategory.exitCodeTable)

        @Option(help: "Folder of the labelled photos.") var images: String
        @Option(help: "Labels CSV (file,full_shot,front_facing,gender).") var labels: String
        @Option(help: "The pose graph (`make weights`).") var graph = "checkpoints/pretrained/pose_mobilenet_thin.pb"
        @Flag(help: "Also score the top 55% of each labelled full shot (known negatives).") var cropsCutLegs = false
        @Flag(help: "Search the thresholds on the tuning half first.") var tune = false
        @Option(help: "Rules as JSON (the report's `rules`; keys left out keep their defaults) instead of the gate's own.")
        var rules: String?
        @Option(help: "Keypoints file: read instead of running the network when it exists (it must hold the same photos), written otherwise.")
        var keypoints: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() throws {
            // Labels first: a typo in them should not wait for the graph to load.
            let rows = try PoseLabel.read(URL(fileURLWithPath: labels))
            guard !rows.isEmpty else { throw MalformedFile(file: labels, reason: "no labelled photos") }
            let given = try rules.map { try JSONDecoder().decode(PoseRules.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
            let observations = try observe(rows)
            let chosen = tune ? PoseRuleTuning.tune(observations.filter { $0.label.half == .tuning }) : given ?? PoseRules()
            let report = PoseEvaluation.report(observations, rules: chosen)
            print(json ? try jsonString(report) : Self.text(report))
        }

        /// The gate's keypoints on every labelled photo, from the keypoints file when there is one.
        func observe(_ rows: [PoseLabel]) throws -> [PoseObservation] {
            if let keypoints, FileManager.default.fileExists(atPath: keypoints) {
                let saved: [PoseObservation]
                do { saved = try JSONDecoder().decode([PoseObservation].self, from: Data(contentsOf: URL(fileURLWithPath: keypoints))) } catch {
                    throw MalformedFile(file: keypoints, reason: "not a keypoints file: \(error)")
                }
                guard saved.map(\.label) == rows, saved.allSatisfy({ ($0.cutLegs != nil) == (cropsCutLegs && $0.label.fullShot) }) else {
                    throw MalformedFile(file: keypoints, reason: "made for other labels or without/with --crops-cut-legs: delete it to run the network again")
                }
                return saved
            }
            let gate = try PoseGate(graph: URL(fileURLWithPath: graph))
            var bar = ProgressBar(total: rows.count, label: "pose", unit: "img")
            let observations = try PoseEvaluation.observe(gate, images: URL(fileURLWithPath: images), labels: rows,
                                                          cropsCutLegs: cropsCutLegs) { done, _ in bar.update(done) }
            if let keypoints { try OutputFile.write(try JSONEncoder().encode(observations), toPath: keypoints) }
            return observations
        }

        static func text(_ report: PoseEvaluationReport) -> String {
            let halves = [report.all, report.tuning, report.heldOut]
            func rate(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
            let rows: [(String, (PoseScores) -> String)] = [
                ("photos", { "\($0.photos)" }),
                ("full shot accuracy", { rate($0.fullShotAccuracy) }),
                ("full shot balanced accuracy", { rate($0.fullShotBalancedAccuracy) }),
                ("front facing accuracy", { rate($0.frontFacingAccuracy) }),
                ("front facing balanced accuracy", { rate($0.frontFacingBalancedAccuracy) }),
                ("accepted accuracy", { rate($0.acceptedAccuracy) }),
                ("accepted precision", { rate($0.acceptedPrecision) }),
                ("accepted recall", { rate($0.acceptedRecall) }),
                ("labelled accepted / gate accepted", { "\($0.labelledAccepted) / \($0.gateAccepted)" }),
                ("cut-legs crops", { "\($0.cutLegsCrops)" }),
                ("cut-legs crops rejected", { rate($0.cutLegsRejected) }),
            ]
            let table = MarkdownTable(headers: ["metric", "all", "tuning half", "held-out half"],
                                      rows: rows.map { name, value in [name] + halves.map(value) })
            let r = report.rules
            let rules = "rules: min confidence \(r.minConfidence), ankle min confidence \(r.ankleMinConfidence), ankles \(r.minAnkles), "
                + "top margin \(r.topMargin), bottom margin \(r.bottomMargin), shin/thigh \(r.shinToThigh), "
                + "min shoulder width \(r.minShoulderWidth), min hip width \(r.minHipWidth), both eyes \(r.requireBothEyes), max nose offset \(r.maxNoseOffset.map { "\($0)" } ?? "off")"
            let mistakes = report.mistakes.isEmpty ? "" : "\n\nmistakes (\(report.mistakes.count)):\n" + report.mistakes.map { "- \($0)" }.joined(separator: "\n")
            return table.markdown + "\n\n" + rules + mistakes
        }
    }
}
