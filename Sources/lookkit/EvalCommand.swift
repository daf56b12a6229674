import ArgumentParser
import Evaluation
import Experiments
import Foundation
import LookKitCore

/// `lookkit eval …`: score predictions from LookKit or any other tool.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Score models (embedder, gender) or detection/ranking results from files.",
        discussion: CLIFailure.exitCodeHelp,
        subcommands: [Detections.self, Ranking.self, Embedder.self, Gender.self])

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
            try CLIFailure.exiting {
                let metrics = try YOLOFiles.evaluate(labels: URL(fileURLWithPath: labels), predictions: URL(fileURLWithPath: predictions))
                let classNames = try names.map { file in
                    try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                } ?? []
                func name(_ id: Int) -> String { classNames.indices.contains(id) && !classNames[id].isEmpty ? classNames[id] : String(id) }
                if let logRun { try store(metrics, in: logRun, name: name) }
                if json {
                    let report = DetectionReport(
                        images: metrics.imageCount, labels: metrics.labelCount, precision: metrics.precision, recall: metrics.recall,
                        map50: metrics.mAP50, map50_95: metrics.mAP50to95,
                        classes: metrics.perClass.map {
                            .init(id: $0.classID, name: name($0.classID), labels: $0.labelCount, precision: $0.precision,
                                  recall: $0.recall, ap50: $0.ap50, ap50_95: $0.ap50to95)
                        })
                    print(try jsonString(report))
                    return
                }
                let format = { (value: Double) in String(format: "%.4f", value) }
                let all = ["all", String(metrics.imageCount), String(metrics.labelCount), format(metrics.precision),
                           format(metrics.recall), format(metrics.mAP50), format(metrics.mAP50to95)]
                let rows = metrics.perClass.map {
                    [name($0.classID), String(metrics.imageCount), String($0.labelCount), format($0.precision),
                     format($0.recall), format($0.ap50), format($0.ap50to95)]
                }
                print(MarkdownTable(headers: ["Class", "Images", "Labels", "P", "R", "mAP@.5", "mAP@.5:.95"], rows: [all] + rows).markdown)
            }
        }

        /// Logs the summary numbers as results and each class's PR curve (every 10th of the
        /// 1000 recall points, plus recall 1) as curve "PR@0.5".
        func store(_ metrics: DetectionMetrics, in id: Int64, name: (Int) -> String) throws {
            let run = try database.open().run(id)
            for (metric, value) in [("Precision", metrics.precision), ("Recall", metrics.recall),
                                    ("mAP@.5", metrics.mAP50), ("mAP@.5:.95", metrics.mAP50to95)] {
                try run.logResult(dataset: dataset, split: split, metric: metric, value: value)
            }
            let recall = DetectionMetrics.curveRecall
            let sampled = Array(stride(from: 0, to: recall.count, by: 10)) + [recall.count - 1]
            for result in metrics.perClass where !result.prCurve.isEmpty {
                try run.logCurve(name: "PR@0.5", series: name(result.classID),
                                 points: sampled.map { (recall[$0], result.prCurve[$0]) })
            }
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
            try CLIFailure.exiting {
                let queries = try RankingCSV.read(URL(fileURLWithPath: results))
                guard !queries.isEmpty else {
                    throw EvaluationError.badFile(path: results, line: 0, reason: "no result rows")
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
}

/// `eval detections --json` layout.
struct DetectionReport: Encodable {
    struct ClassReport: Encodable {
        var id: Int
        var name: String
        var labels: Int
        var precision, recall, ap50, ap50_95: Double
    }
    var images, labels: Int
    var precision, recall, map50, map50_95: Double
    var classes: [ClassReport]
}

func jsonString(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
