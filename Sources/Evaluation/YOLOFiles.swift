import Foundation

/// YOLO text files, one per image: labels `class cx cy w h`, predictions `class cx cy w h conf`
/// (coordinates usually normalised to [0, 1]; any unit works as long as both sides agree).
public enum YOLOFiles {
    public static func readLabels(_ url: URL) throws -> [LabeledBox] {
        try rows(url, fields: 5).map { LabeledBox(classID: $0.classID, box: $0.box) }
    }

    public static func readPredictions(_ url: URL) throws -> [ScoredBox] {
        try rows(url, fields: 6).map { ScoredBox(classID: $0.classID, box: $0.box, confidence: $0.confidence) }
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
            throw EvaluationError.badFile(path: directory.path, line: 0, reason: "cannot list directory")
        }
        return Set(names.filter { $0.hasSuffix(".txt") && $0 != "classes.txt" })
    }

    private static func rows(_ url: URL, fields: Int) throws -> [(classID: Int, box: Box, confidence: Double)] {
        try contentLines(of: url).map { number, text in
            let parts = text.split(whereSeparator: \.isWhitespace)
            guard parts.count == fields else {
                throw EvaluationError.badFile(path: url.path, line: number,
                                              reason: "expected \(fields) fields, found \(parts.count)")
            }
            let names = ["cx", "cy", "w", "h", "confidence"]
            let values = try (1..<fields).map { try finiteNumber(parts[$0], names[$0 - 1], url, number) }
            guard values[2] >= 0, values[3] >= 0 else {
                throw EvaluationError.badFile(path: url.path, line: number, reason: "negative box size")
            }
            let box = Box(centerX: values[0], centerY: values[1], width: values[2], height: values[3])
            return (try classNumber(parts[0], url, number), box, fields == 6 ? values[4] : 1)
        }
    }
}
