import Evaluation
import Experiments
import Foundation
import LookKitCore

/// Detector scores as users of yolov5's `val.py` read them: the per-class table, the JSON report,
/// and the run-log rows (summary numbers and each class's PR curve). The detector's own
/// validation and `lookkit eval detections` both report through this.
public struct DetectionResults {
    public let metrics: DetectionMetrics
    /// Class names by id; ids without a name show as numbers.
    public let names: [String]

    public init(_ metrics: DetectionMetrics, names: [String] = []) { (self.metrics, self.names) = (metrics, names) }

    /// Class names one per line (line n = class n), as `classes.txt`.
    public static func readNames(_ file: URL) throws -> [String] {
        do {
            return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        } catch {
            throw MalformedFile(file: file.path, reason: "cannot read class names (\(error.localizedDescription))")
        }
    }

    public func name(_ id: Int) -> String { names.indices.contains(id) && !names[id].isEmpty ? names[id] : String(id) }

    /// `all` then one row per class: images, labels, P, R, mAP@.5, mAP@.5:.95.
    public var table: MarkdownTable {
        let f = { (value: Double) in String(format: "%.4f", value) }
        let m = metrics
        let all = ["all", String(m.imageCount), String(m.labelCount), f(m.precision), f(m.recall), f(m.mAP50), f(m.mAP50to95)]
        let rows = m.perClass.map {
            [name($0.classID), String(m.imageCount), String($0.labelCount), f($0.precision), f($0.recall), f($0.ap50), f($0.ap50to95)]
        }
        return MarkdownTable(headers: ["Class", "Images", "Labels", "P", "R", "mAP@.5", "mAP@.5:.95"], rows: [all] + rows)
    }

    /// The `--json` layout.
    public var report: Report {
        let m = metrics
        return Report(images: m.imageCount, labels: m.labelCount, precision: m.precision, recall: m.recall, map50: m.mAP50,
                      map50_95: m.mAP50to95, classes: m.perClass.map {
                          .init(id: $0.classID, name: name($0.classID), labels: $0.labelCount, precision: $0.precision,
                                recall: $0.recall, ap50: $0.ap50, ap50_95: $0.ap50to95)
                      })
    }

    public struct Report: Encodable {
        public struct ClassReport: Encodable {
            var id: Int
            var name: String
            var labels: Int
            var precision, recall, ap50, ap50_95: Double
        }
        var images, labels: Int
        var precision, recall, map50, map50_95: Double
        var classes: [ClassReport]
        /// ultralytics' spellings (its results.csv reads `metrics/mAP_0.5`; val users ask for mAP50).
        enum CodingKeys: String, CodingKey { case images, labels, precision, recall, map50 = "mAP50", map50_95 = "mAP50_95", classes }
    }

    /// Logs the summary numbers as results and each class's PR curve (every 10th of the 1000
    /// recall points, plus recall 1) as curve "PR@0.5".
    public func log(to run: Run, dataset: String, split: String) throws {
        let m = metrics
        for (metric, value) in [("Precision", m.precision), ("Recall", m.recall), ("mAP@.5", m.mAP50), ("mAP@.5:.95", m.mAP50to95)] {
            try run.logResult(dataset: dataset, split: split, metric: metric, value: value)
        }
        let recall = DetectionMetrics.curveRecall
        let sampled = Array(stride(from: 0, to: recall.count, by: 10)) + [recall.count - 1]
        for result in m.perClass where !result.prCurve.isEmpty {
            try run.logCurve(name: "PR@0.5", series: name(result.classID), points: sampled.map { (recall[$0], result.prCurve[$0]) })
        }
    }
}
