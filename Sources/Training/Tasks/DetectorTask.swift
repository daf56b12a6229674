import Datasets
import Detection
import Evaluation
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Torch

/// YOLOv5 trained as ultralytics/yolov5 `train.py` trains it: data from a `data.yaml` or a YOLO
/// folder (validation carved from train when there is no `val`), hyp yaml, autoanchor, mosaic and
/// affine augmentation (mosaic closed for the last epochs), the v7.0 loss, SGD with three
/// parameter groups and warm-up; validated by `val.py`'s mAP (fitness 0.1·mAP@.5 + 0.9·mAP@.5:.95).
public final class DetectorTask: TrainingTask {
    let config: RunConfig
    let device: Device
    let model: YOLOv5
    public let network: TaskNetwork
    public let classes: [String]
    let hyp: YOLOHyperparameters
    let train: [DetectionSample], validation: [DetectionSample], test: (name: String, samples: [DetectionSample])
    let trainSet: DetectionSet
    let computeLoss: YOLOv5Loss
    public let dataIssues: [DataIssue]
    let unreadable: UnreadablePhotos

    public init(config: RunConfig, device: Device) throws {
        (self.config, self.device) = (config, device)
        let dataset = try YOLOReader.read(URL(fileURLWithPath: config.data.root))
        (classes, dataIssues) = (dataset.names, dataset.issues)
        (train, validation) = dataset.trainingSplits(validationFraction: config.detector.validationFraction, seed: config.seed)
        let testSamples = dataset.samples("test")
        test = testSamples.isEmpty ? ("val", validation) : ("test", testSamples)
        guard !train.isEmpty, !validation.isEmpty else {
            throw MalformedFile(file: config.data.root, reason: "needs training and validation images (found \(train.count) and \(validation.count))")
        }
        hyp = try config.detector.hyp.map { try YOLOHyperparameters(yaml: URL(fileURLWithPath: $0)) } ?? YOLOHyperparameters()
        (model, network) = try Self.make(config, classes: classes)
        if !config.detector.freeze.isEmpty { try model.freeze(config.detector.freeze) }
        computeLoss = YOLOv5Loss(model.detect, gains: hyp.lossGains)
        unreadable = UnreadablePhotos(maxFraction: config.data.maxUnreadable)
        let cache = config.detector.cacheImages ? try ImageCache() : nil
        trainSet = DetectionSet(train, size: config.data.imageSize, augmentation: Self.augmentation(hyp), cache: cache)
        print("autoanchor: " + (config.detector.autoanchor ? try checkAnchors(cache: cache) : "off, anchors as in the model"))
    }

    public static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork { try make(config, classes: classes).network }

    /// The config's YOLOv5 (or the EfficientNet-Lite0 variant) with a fresh head's bias prior, then
    /// `model.weights`: an ultralytics state dict for the YOLOv5 sizes, ImageNet weights for Lite0's backbone.
    static func make(_ config: RunConfig, classes: [String]) throws -> (model: YOLOv5, network: TaskNetwork) {
        let spec: YOLOv5Spec
        switch config.model.architecture {
        case .efficientnetLite0: spec = try .efficientNetLite0(neck: config.detector.neck)
        case .yolov5n, .yolov5s, .yolov5m, .yolov5l, .yolov5x: spec = try .named(config.model.architecture.rawValue)
        default:
            throw ConfigError("model.architecture: a detector is yolov5n, yolov5s, yolov5m, yolov5l, yolov5x or efficientnet_lite0 "
                              + "(the CPU recipe), not \(config.model.architecture.rawValue)")
        }
        let model = try YOLOv5(spec, classes: classes.count)
        try model.detect.initializeBiases()
        if let backbone = model.backbone { try backbone.freeze(["_conv_head", "_bn1"]) }  // unused by the neck
        if let weights = config.model.weights {
            let url = URL(fileURLWithPath: weights)
            if let backbone = model.backbone { try loadBackbone(backbone, from: weights) } else { try model.load(from: url) }
        }
        return (model, TaskNetwork(module: model, normalization: ([0, 0, 0], [1, 1, 1])) { try model($0) })
    }

    static func augmentation(_ hyp: YOLOHyperparameters) -> DetectionAugmentation {
        var a = DetectionAugmentation()
        (a.mosaic, a.hue, a.saturation, a.value) = (hyp.mosaic, hyp.hsvH, hyp.hsvS, hyp.hsvV)
        (a.degrees, a.translate, a.scale, a.flipLeftRight) = (hyp.degrees, hyp.translate, hyp.scale, hyp.fliplr)
        return a
    }

    /// ultralytics' `check_anchors` on the training labels; refits the anchors when they recall under 0.98.
    private func checkAnchors(cache: ImageCache?) throws -> String {
        let lock = NSLock()
        var sizes = [AutoAnchor.ImageBoxes?](repeating: nil, count: train.count)
        DispatchQueue.concurrentPerform(iterations: train.count) { i in
            guard let image = try? cache?.image(at: train[i].image) ?? Image(contentsOf: train[i].image) else { return }
            lock.withLock { sizes[i] = (image.width, image.height, train[i].boxes.map { ($0.box.width, $0.box.height) }) }
        }
        var generator = SeededGenerator(seed: config.seed)
        let images = sizes.compactMap { $0 }
        let labels = try AutoAnchor.labelSizes(images, imageSize: config.data.imageSize,
                                                scales: AutoAnchor.augmentationScales(count: images.count, using: &generator))
        let detect = model.detect, anchors = try detect.anchorPixels
        let before = try AutoAnchor.check(labelSizes: labels, anchors: anchors, threshold: hyp.anchorT).bpr
        let fitted = try AutoAnchor.fitted(anchors, strides: detect.strides, labelSizes: labels, imageSize: config.data.imageSize,
                                           threshold: hyp.anchorT, using: &generator)
        guard fitted.replaced else { return String(format: "best possible recall %.4f, anchors kept", before) }
        try detect.setAnchors(pixels: fitted.anchors)
        let after = try AutoAnchor.check(labelSizes: labels, anchors: fitted.anchors, threshold: hyp.anchorT).bpr
        return String(format: "best possible recall %.4f → %.4f with new anchors %@", before, after, "\(fitted.anchors)")
    }

    public var dataSummary: String {
        let labels = train.reduce(0) { $0 + $1.boxes.count }, background = train.filter(\.boxes.isEmpty).count
        return "\(counted(train.count, "training image")) (\(counted(labels, "box", plural: "boxes")), \(background) background), "
            + "\(counted(validation.count, "validation image")), \(counted(classes.count, "class", plural: "classes"))"
            + (dataIssues.isEmpty ? "" : "; \(counted(dataIssues.count, "label problem")) skipped (see `lookkit data check`)")
            + (test.name == "val" ? "; no test split, so validation images are scored as the test too" : "")
    }

    public var unreadablePhotos: Int { unreadable.count }

    var batchesPerEpoch: Int { max(train.count / config.batchSize, 1) }
    var epochs: Int { (config.steps + batchesPerEpoch - 1) / batchesPerEpoch }

    /// SGD (Nesterov) over YOLOv5's three groups; decay scaled to the batch as ultralytics scales it
    /// to its nominal batch of 64 (which it reaches by accumulating; here every batch steps).
    public func optimization(_ config: RunConfig) throws -> (optimizer: Optimizer, schedule: any OptimizerSchedule) {
        let decay = hyp.weightDecay * Double(config.batchSize) / 64
        let optimizer = try SGD(ParameterGroup.yoloStyle(model, weightDecay: decay), learningRate: hyp.lr0, momentum: hyp.momentum,
                                nesterov: true)
        return (optimizer, YOLOv5Schedule(hyp: hyp, batchesPerEpoch: batchesPerEpoch, epochs: epochs, cosine: config.detector.cosine))
    }

    public func batches(epoch: Int, skip: Int) throws -> AnyIterator<DetectionBatch> {
        try unreadable.check(unreadable.count, of: train.count, split: "training", root: config.data.root)
        var set = trainSet
        if epoch >= epochs - config.detector.closeMosaic { set.augmentation?.mosaic = 0 }
        let plan = set.shuffledPlan(epoch: epoch, batchSize: config.batchSize, seed: config.seed)
        let loaded = set.batches(plan: plan, epoch: epoch, skip: skip, seed: config.seed, workers: config.data.workers,
                                 collate: DetectionBatch.collate)
        let unreadable = unreadable
        return AnyIterator {
            guard let next = loaded.next() else {
                unreadable.record(loaded.failures)
                return nil
            }
            unreadable.record(next.failures)
            return next.batch
        }
    }

    public func loss(_ batch: DetectionBatch) throws -> BatchLoss {
        let raw = try model.rawOutputs(batch.images.to(device))
        let (total, parts) = try computeLoss(raw, targets: batch.targets().to(device))
        return BatchLoss(total, metrics: ["box_loss": parts[0], "obj_loss": parts[1], "cls_loss": parts[2]])
    }

    var predictor: YOLOPredictor {
        YOLOPredictor(model: model, size: config.data.imageSize, nms: .validation, device: device)
    }

    func evaluate(_ samples: [DetectionSample], split: String) throws -> (metrics: DetectionMetrics, confusion: DetectionConfusion) {
        model.eval()
        defer { model.train() }
        let progress = SharedProgress(label: "  \(split)")
        return try predictor.evaluate(samples, classes: classes.count, batchSize: config.batchSize, workers: config.data.workers,
                                      progress: { progress.update($0, samples.count) }, onUnreadable: { unreadable.record([$0]) })
    }

    public func validate() throws -> ValidationScore {
        let m = try evaluate(validation, split: "validation").metrics
        let fitness = 0.1 * m.mAP50 + 0.9 * m.mAP50to95
        return ValidationScore(metric: "fitness", value: fitness, all: ["fitness": fitness, "mAP50": m.mAP50, "mAP50_95": m.mAP50to95,
                                                                        "precision": m.precision, "recall": m.recall])
    }

    public func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        // The validation images as an ultralytics image list: `lookkit detect --source <run>/val.txt`.
        try validation.map { $0.image.path + "\n" }.joined().write(toPath: folder.appendingPathComponent("val.txt").path)
        let (metrics, confusion) = try evaluate(test.samples, split: test.name)
        let results = DetectionResults(metrics, names: classes)
        print(results.table.markdown)
        try results.log(to: run, dataset: config.data.root, split: test.name)
        return [.pictures(title: "\(test.name) photos with the detections a user gets (conf 0.25, IoU 0.45)", try drawExamples(in: folder)),
                .table(results.table, caption: "\(test.name): P, R and AP per class (val.py: conf 0.001, IoU 0.6)"),
                .table(confusion.table(names: classes), caption: "\(test.name) confusion matrix (conf 0.25, IoU 0.45; rows true, columns predicted)")]
    }

    /// The first `count` test photos with their detections drawn (as `lookkit detect` draws them), in `<run>/detections`.
    private func drawExamples(in folder: URL, count: Int = 8) throws -> [(source: String, caption: String)] {
        model.eval()
        defer { model.train() }
        var predictor = predictor
        predictor.nms = NonMaxSuppression()
        let samples = Array(test.samples.prefix(count))
        let writer = try DetectionWriter(folder: folder.appendingPathComponent("detections"), names: classes)
        var pictures: [(source: String, caption: String)] = []
        try predictor.run(samples.map(\.image), batchSize: count, workers: config.data.workers, onUnreadable: { unreadable.record([$0]) }) { index, photo, found in
            try writer.write(photo, stem: samples[index].id, detections: found)
            pictures.append(("detections/\(samples[index].id).jpg", "\(samples[index].id): \(counted(found.count, "box", plural: "boxes")), \(samples[index].boxes.count) labelled"))
        }
        return pictures
    }
}
