import LookKitCore

/// ultralytics' detection confusion matrix (`utils/metrics.py ConfusionMatrix`) as a `ConfusionMatrix`
/// over the classes plus background (index `classes`): per image, the predictions above `confidence`
/// are matched to labels of any class by IoU above `iou`; a match counts at (true class, predicted
/// class), a missed label at (its class, background), an unmatched prediction at (background, its class).
public struct DetectionConfusion: Sendable, Equatable {
    public let classes: Int
    public let confidence: Double, iou: Double
    public private(set) var matrix: ConfusionMatrix

    public init(classes: Int, confidence: Double = 0.25, iou: Double = 0.45) {
        (self.classes, self.confidence, self.iou) = (classes, confidence, iou)
        matrix = ConfusionMatrix(classCount: classes + 1)
    }

    /// counts[true][predicted], background last.
    public var counts: [[Int]] { matrix.counts }

    public mutating func add(labels: [LabeledBox], predictions: [ScoredBox]) {
        let kept = predictions.filter { $0.confidence > confidence && (0..<classes).contains($0.classID) }
        let truth = labels.filter { (0..<classes).contains($0.classID) }
        var pairs: [(label: Int, prediction: Int, iou: Double)] = []
        for (l, label) in truth.enumerated() {
            for (p, prediction) in kept.enumerated() {
                let overlap = label.box.iou(prediction.box)
                if overlap > iou { pairs.append((l, p, overlap)) }
            }
        }
        // As ultralytics: each prediction keeps its best label, then each label its best such prediction
        // (a prediction whose best label goes to another one stays unmatched).
        pairs.sort { $0.iou > $1.iou }
        var bestOfPrediction: [Int: (label: Int, prediction: Int, iou: Double)] = [:]
        for pair in pairs where bestOfPrediction[pair.prediction] == nil { bestOfPrediction[pair.prediction] = pair }
        var usedLabels = Set<Int>(), usedPredictions = Set<Int>()
        for pair in bestOfPrediction.values.sorted(by: { ($0.iou, $1.prediction) > ($1.iou, $0.prediction) })
        where !usedLabels.contains(pair.label) {
            usedLabels.insert(pair.label)
            usedPredictions.insert(pair.prediction)
            count(truth[pair.label].classID, kept[pair.prediction].classID)
        }
        for (l, label) in truth.enumerated() where !usedLabels.contains(l) { count(label.classID, classes) }
        for (p, prediction) in kept.enumerated() where !usedPredictions.contains(p) { count(classes, prediction.classID) }
    }

    private mutating func count(_ truth: Int, _ predicted: Int) {
        try! matrix.add(truth: truth, predicted: predicted)  // both were checked to lie in 0...classes
    }

    /// Rows: true class (then background); columns: predicted class (then background).
    public func table(names: [String]) -> MarkdownTable {
        let label = { (i: Int) in i == classes ? "background" : (names.indices.contains(i) ? names[i] : String(i)) }
        return MarkdownTable(headers: ["true \\ predicted"] + (0...classes).map(label),
                             rows: (0...classes).map { t in [label(t)] + (0...classes).map { p in t == classes && p == classes ? "" : String(counts[t][p]) } })
    }
}
