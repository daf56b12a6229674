import Foundation
import LookKitCore

/// YOLO text files, one per image: labels `class cx cy w h`, predictions `class cx cy w h conf`
/// (coordinates usually normalised to [0, 1]; any unit works as long as both sides agree).
public enum YOLOFiles {
    /// Rows that do not parse throw `MalformedFile` naming the file and line.
    public static func readLabels(_ url: URL) throws -> [LabeledBox] {
        try contentLines(of: url).map { try YOLORows.label($0.text, file: url.path, line: $0.number) }
    }

    public static func readPredictions(_ url: URL) throws -> [ScoredBox] {
        try contentLines(of: url).map { try YOLORows.prediction($0.text, file: url.path, line: $0.number) }
    }

    /// Scores every image found in either folder (`*.txt`, matched by file name). A missing
    /// prediction file means no detections; a missing label file means no objects.
    public static func evaluate(labels: URL, predictions: URL) throws -> DetectionMetrics {
        let labelNames = try textFiles(in: labels)
        let predictionNames = try textFiles(in: predictions)
        var evaluator = DetectionEvaluator()
        for name in labelNames.union(predictionNames).sorted() {
            let truth = labelNames.contains(name) ? try readLabels(labels.appendingPathComponent(name)) : []
            let found = predictionNames.contains(name)
                ? try readPredictions(predictions.appendingPathComponent(name)) : []
            try evaluator.add(labels: truth, predictions: found)
        }
        return evaluator.evaluate()
    }

    private static func textFiles(in directory: URL) throws -> Set<String> {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MalformedFile(file: directory.path, reason: "cannot list directory")
        }
        return Set(names.filter { $0.hasSuffix(".txt") && $0 != "classes.txt" })
    }

}
