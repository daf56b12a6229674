import ArgumentParser
import Evaluation
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation

/// `lookkit eval …`: score predictions from LookKit or any other tool.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Score models (embedder, gender, FITB, pose gate) or detection/ranking results from files.",
        discussion: ErrorCategory.exitCodeTable,
        subcommands: [Detections.self, Ranking.self, Embedder.self, Gender.self, Fitb.self, PoseGateEval.self, Look.self, WearerGender.self])

    struct Detections: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "P, R, mAP@.5 and mAP@.5:.95 (yolov5 val.py definitions) of YOLO txt predictions.",
            discussion: """
                Labels: one `class cx cy w h` file per image; predictions: `class cx cy w h conf`. \
                A missing prediction file means no detections.
                """)

        @Option(help: "Folder of label .txt files.") var labels: String
        @Option(help: "Folder of prediction .txt files.") var predictions: String
        @Option(help: "Class names, one per line (line n = class n).") var names: String?
        @Flag(help: "Machine-readable output.") var json = false
        @Option(name: .customLong("run"), help: "Also store the numbers and per-class PR curves in this run of the run log (see --db).")
        var logRun: Int64?
        @Option(help: "Dataset and split names for the stored results.") var dataset = "detections"
        @Option var split = "val"
        @OptionGroup var database: RunDatabaseOption

        func run() throws {
            let metrics = try YOLOFiles.evaluate(labels: URL(fileURLWithPath: labels), predictions: URL(fileURLWithPath: predictions))
            let results = DetectionResults(metrics, names: try names.map { try DetectionResults.readNames(URL(fileURLWithPath: $0)) } ?? [])
            if let logRun { try results.log(to: database.openForLogging().run(logRun), dataset: dataset, split: split) }
            print(json ? try jsonString(results.report) : results.table.markdown)
        }
    }

    struct Ranking: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "P@k, R@k, mAP@k, relevance@k and nDCG@k of ranked results.",
            discussion: """
                CSV rows `query_id,rank,item_id,correct` (header optional). The number of relevant items \
                per query is taken as the number of correct rows given for it, so mAP@k divides by \
                min(k, correct rows); relevance@k = Σ Y_i·(k−i) / Σ (k−i) over ranks i = 0…k−1.
                """)

        @Option(help: "Ranking CSV file.") var results: String
        @Option(help: "Cut-off rank.") var k = 10
        @Flag(help: "Machine-readable output.") var json = false

        func validate() throws {
            guard k > 0 else { throw ValidationError("--k must be positive") }
        }

        func run() throws {
            let queries = try RankingCSV.read(URL(fileURLWithPath: results))
            guard !queries.isEmpty else {
                throw MalformedFile(file: results, reason: "no result rows")
            }
            let summary = RankingSummary(queries.map(\.list), k: k)
            if json {
                print(try jsonString(summary))
                return
            }
            let rows = [("P@\(k)", summary.precision), ("R@\(k)", summary.recall), ("mAP@\(k)", summary.mAP),
                        ("relevance@\(k)", summary.relevance), ("nDCG@\(k)", summary.ndcg)]
            print(MarkdownTable(headers: ["metric (\(summary.queryCount) queries)", "value"],
                                rows: rows.map { [$0.0, String(format: "%.4f", $0.1)] }).markdown)
        }
    }
}

func jsonString(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
