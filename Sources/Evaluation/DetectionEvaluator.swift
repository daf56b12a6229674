import LookKitCore
/// Detection mAP exactly as ultralytics/yolov5 `val.py` + `utils/metrics.py ap_per_class` report it.
///
/// Per image, predictions (taken in descending confidence, as NMS emits them) are matched to
/// labels of the same class at each IoU threshold 0.50, 0.55, …, 0.95: every prediction picks
/// its highest-IoU label; each label then keeps the most confident prediction that picked it.
/// AP per class integrates the monotone precision envelope with COCO 101-point interpolation.
/// mAP averages over classes that have labels; predictions of label-less classes are ignored.
/// Precision and recall are read at the confidence where the class-mean F1 (box-smoothed over
/// a 1000-point confidence grid) is highest.
public struct DetectionEvaluator: Sendable {
    public static let iouThresholds = linspace(0.5, 0.95, 10)

    /// Bit t set = prediction is a true positive at `iouThresholds[t]`.
    private var correct: [UInt16] = []
    private var confidences: [Double] = []
    private var predictedClasses: [Int] = []
    private var labelClasses: [Int] = []
    public private(set) var imageCount = 0

    public init() {}

    /// Adds one image's labels and predictions. Throws on NaN or infinite confidences.
    public mutating func add(labels: [LabeledBox], predictions: [ScoredBox]) throws {
        if let bad = predictions.first(where: { !$0.confidence.isFinite }) {
            throw EvaluationError.invalidInput("prediction confidence \(bad.confidence) is not finite")
        }
        imageCount += 1
        labelClasses += labels.map(\.classID)
        let ranked = predictions.indices.sorted { predictions[$0].confidence > predictions[$1].confidence }
            .map { predictions[$0] }
        correct += Self.match(labels: labels, predictions: ranked)
        confidences += ranked.map(\.confidence)
        predictedClasses += ranked.map(\.classID)
    }

    static func match(labels: [LabeledBox], predictions: [ScoredBox]) -> [UInt16] {
        var flags = [UInt16](repeating: 0, count: predictions.count)
        guard !labels.isEmpty else { return flags }
        let iou = predictions.map { prediction in
            labels.map { $0.classID == prediction.classID ? $0.box.iou(prediction.box) : -1 }
        }
        for (t, threshold) in iouThresholds.enumerated() {
            var taken = Set<Int>()
            for (p, row) in iou.enumerated() {
                var best = -1
                for (l, value) in row.enumerated() where value >= threshold && (best < 0 || value > row[best]) {
                    best = l
                }
                if best >= 0, taken.insert(best).inserted { flags[p] |= 1 << t }
            }
        }
        return flags
    }

    public func evaluate() -> DetectionMetrics {
        let order = confidences.indices.sorted { confidences[$0] > confidences[$1] }
        let classes = Dictionary(grouping: labelClasses, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
        let grid = linspace(0, 1, 1000)
        let evaluated = classes.map { classID, labelCount in
            evaluateClass(classID, labelCount: labelCount, predictions: order.filter { predictedClasses[$0] == classID }, grid: grid)
        }
        var metrics = DetectionMetrics(imageCount: imageCount, perClass: evaluated.map(\.result))
        // Like val.py: without a single true positive everything stays 0 (APs are 0 already).
        guard correct.contains(where: { $0 != 0 }), !evaluated.isEmpty else { return metrics }
        let meanF1 = grid.indices.map { g in
            evaluated.reduce(0.0) { sum, curves in
                let (p, r) = (curves.precision[g], curves.recall[g])
                return sum + 2 * p * r / (p + r + 1e-16)
            } / Double(evaluated.count)
        }
        let smoothed = boxSmooth(meanF1, fraction: 0.1)
        let best = smoothed.firstIndex(of: smoothed.max()!)!  // first maximum, as np.argmax
        for c in metrics.perClass.indices {
            metrics.perClass[c].precision = evaluated[c].precision[best]
            metrics.perClass[c].recall = evaluated[c].recall[best]
        }
        metrics.bestF1Confidence = grid[best]
        return metrics
    }

    /// AP at every IoU threshold for one class, plus its precision and recall as functions of
    /// confidence on `grid` (zeros when the class has no predictions). `predictions` are indices
    /// in descending confidence.
    private func evaluateClass(_ classID: Int, labelCount: Int, predictions: [Int], grid: [Double])
        -> (result: DetectionMetrics.ClassResult, precision: [Double], recall: [Double]) {
        var result = DetectionMetrics.ClassResult(classID: classID, labelCount: labelCount, predictionCount: predictions.count)
        var precisionCurve = [Double](repeating: 0, count: grid.count), recallCurve = precisionCurve
        guard !predictions.isEmpty else { return (result, precisionCurve, recallCurve) }
        let negativeConfidence = predictions.map { -confidences[$0] }
        var ap = [Double]()
        for t in Self.iouThresholds.indices {
            var truePositives = 0.0
            var recall = [Double](), precision = [Double]()
            for (n, p) in predictions.enumerated() {
                truePositives += Double((correct[p] >> t) & 1)
                recall.append(truePositives / (Double(labelCount) + 1e-16))
                precision.append(truePositives / Double(n + 1))
            }
            let (value, envelopeRecall, envelopePrecision) = Self.averagePrecision(recall: recall, precision: precision)
            ap.append(value)
            if t == 0 {
                // np.interp needs increasing x: confidences are negated, as in ap_per_class.
                recallCurve = grid.map { interpolate(-$0, negativeConfidence, recall, left: 0) }
                precisionCurve = grid.map { interpolate(-$0, negativeConfidence, precision, left: 1) }
                result.prCurve = grid.map { interpolate($0, envelopeRecall, envelopePrecision) }
            }
        }
        result.ap50 = ap[0]
        result.ap50to95 = ap.reduce(0, +) / Double(ap.count)
        return (result, precisionCurve, recallCurve)
    }

    /// COCO 101-point interpolated AP; also returns the sentinel-padded recall and precision
    /// envelope (for PR plots).
    static func averagePrecision(recall: [Double], precision: [Double]) -> (Double, [Double], [Double]) {
        let paddedRecall = [0] + recall + [1]
        var envelope = [1] + precision + [0]
        for i in stride(from: envelope.count - 2, through: 0, by: -1) {
            envelope[i] = max(envelope[i], envelope[i + 1])
        }
        let points = linspace(0, 1, 101)
        let ap = trapezoid(points.map { interpolate($0, paddedRecall, envelope) }, points)
        return (ap, paddedRecall, envelope)
    }
}

/// What `DetectionEvaluator.evaluate()` reports.
public struct DetectionMetrics: Sendable, Equatable {
    public struct ClassResult: Sendable, Equatable {
        public var classID: Int
        public var labelCount: Int
        public var predictionCount: Int
        /// Precision and recall at the best-F1 confidence.
        public var precision = 0.0
        public var recall = 0.0
        public var ap50 = 0.0
        public var ap50to95 = 0.0
        /// Precision envelope at IoU 0.5 sampled at recall = `DetectionMetrics.curveRecall`.
        public var prCurve: [Double] = []
    }

    public var imageCount: Int
    /// One entry per class that has labels, ascending class id.
    public var perClass: [ClassResult]
    public var bestF1Confidence = 0.0

    /// Recall values (1000 points in [0, 1]) at which `ClassResult.prCurve` is sampled.
    public static let curveRecall = linspace(0, 1, 1000)

    public var labelCount: Int { perClass.reduce(0) { $0 + $1.labelCount } }
    public var precision: Double { mean(\.precision) }
    public var recall: Double { mean(\.recall) }
    public var mAP50: Double { mean(\.ap50) }
    public var mAP50to95: Double { mean(\.ap50to95) }

    private func mean(_ value: KeyPath<ClassResult, Double>) -> Double {
        perClass.isEmpty ? 0 : perClass.reduce(0.0) { $0 + $1[keyPath: value] } / Double(perClass.count)
    }
}
