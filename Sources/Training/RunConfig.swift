import Datasets
import Foundation
import LookKitCore
import StyleEmbedding
import Torch
import Yams

/// A training run as written in a YAML or JSON file under `experiments/`: what to train, on what,
/// and how. Keys a file leaves out take the defaults written here, in the type; an unknown key,
/// an unknown choice (mining, optimizer…) or a number outside its range fails when the file is
/// read, naming the key.
public struct RunConfig: Codable, Equatable, Sendable {
    public var name: String
    public var task: TaskKind
    public var model: ModelConfig
    public var data: DataConfig
    public var optimizer = OptimizerConfig()
    public var schedule = ScheduleConfig()
    public var steps: Int
    public var batchSize = 32
    public var checkpointEvery = 500
    /// Validate (and keep `best` if the score improved) every this many epochs; 0: only at the end.
    public var validateEvery = 1
    public var gradientClipNorm: Double?
    public var ema: Double?
    public var mixedPrecision = false
    public var seed: UInt64 = 0
    /// Triplet settings (task `embedder`).
    public var triplet = TripletConfig()
    /// Detector settings (task `detector`).
    public var detector = DetectorConfig()
    /// Style embedder settings (task `style`).
    public var style = StyleConfig()
    /// Run folders go to `<project>/<name>` (default project: `runs/<task>`), as ultralytics' `--project/--name`.
    public var project: String?

    public init(name: String, task: TaskKind, model: ModelConfig, data: DataConfig, steps: Int) {
        (self.name, self.task, self.model, self.data, self.steps) = (name, task, model, data, steps)
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, task, model, data, optimizer, schedule, steps, batchSize, checkpointEvery, validateEvery
        case gradientClipNorm, ema, mixedPrecision, seed, triplet, detector, style, project
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), task: try c.decode(TaskKind.self, forKey: .task),
                  model: try c.decode(ModelConfig.self, forKey: .model), data: try c.decode(DataConfig.self, forKey: .data),
                  steps: try c.decode(Int.self, forKey: .steps, in: .above(0)))
        optimizer = try c(.optimizer, default: optimizer)
        schedule = try c(.schedule, default: schedule)
        batchSize = try c(.batchSize, default: batchSize, in: .above(0))
        checkpointEvery = try c(.checkpointEvery, default: checkpointEvery, in: .atLeast(0))
        validateEvery = try c(.validateEvery, default: validateEvery, in: .atLeast(0))
        gradientClipNorm = try c(.gradientClipNorm, in: .above(0))
        ema = try c(.ema, in: .from(0, below: 1, lowerIncluded: false))
        mixedPrecision = try c(.mixedPrecision, default: mixedPrecision)
        seed = try c(.seed, default: seed)
        triplet = try c(.triplet, default: triplet)
        detector = try c(.detector, default: detector)
        style = try c(.style, default: style)
        project = try c.decodeIfPresent(String.self, forKey: .project)
    }

    public struct ModelConfig: Codable, Equatable, Sendable {
        public var architecture: Architecture
        /// Optional pretrained backbone weights (.safetensors or .pt); nothing is downloaded.
        public var weights: String?
        public var embeddingDimension = 128
        public var dropout = 0.2
        /// Embedders: train the head only; the pretrained backbone runs in eval mode without gradients.
        public var freezeBackbone = false
        /// Embedders: share of the backbone's own pooled features in the embedding (cosine =
        /// s·cos(backbone) + (1−s)·cos(head)); 0 is the head alone.
        public var backboneShare = 0.0

        public init(architecture: Architecture, weights: String? = nil) { (self.architecture, self.weights) = (architecture, weights) }

        public enum CodingKeys: String, CodingKey, CaseIterable { case architecture, weights, embeddingDimension, dropout, freezeBackbone, backboneShare }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            self.init(architecture: try c.decode(Architecture.self, forKey: .architecture),
                      weights: try c.decodeIfPresent(String.self, forKey: .weights))
            embeddingDimension = try c(.embeddingDimension, default: embeddingDimension, in: .above(0))
            dropout = try c(.dropout, default: dropout, in: .from(0, below: 1))
            freezeBackbone = try c(.freezeBackbone, default: freezeBackbone)
            backboneShare = try c(.backboneShare, default: backboneShare, in: .from(0, below: 1))
        }
    }

    public struct DataConfig: Codable, Equatable, Sendable {
        /// A folder with train/ and validation/ (and test/) class folders, or a products `styles.csv`.
        public var root: String
        public var imageSize = 64
        public var workers = 2
        /// Column holding the class for CSV datasets.
        public var labelColumn = ProductColumn.gender
        /// Keep only these classes (e.g. ["Men", "Women"]).
        public var classes: [String]?
        /// Classes that never train (embedders): validation scores them as unseen classes, which
        /// stand for a user's catalog, and `best` is chosen by them.
        public var unseenClasses: [String]?
        /// How evaluation, `embed` and exports fit a photo to imageSize² (training crops at random).
        public var resize = ResizeRule.stretch
        /// Unreadable photos are skipped and named; the run fails when more than this fraction of a split is.
        public var maxUnreadable = 0.01

        public init(root: String) { self.root = root }

        public enum CodingKeys: String, CodingKey, CaseIterable { case root, imageSize, workers, labelColumn, classes, unseenClasses, resize, maxUnreadable }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            self.init(root: try c.decode(String.self, forKey: .root))
            imageSize = try c(.imageSize, default: imageSize, in: .above(0))
            workers = try c(.workers, default: workers, in: .atLeast(0))
            labelColumn = try c(.labelColumn, default: labelColumn)
            classes = try c.decodeIfPresent([String].self, forKey: .classes)
            unseenClasses = try c.decodeIfPresent([String].self, forKey: .unseenClasses)
            resize = try c(.resize, default: resize)
            maxUnreadable = try c(.maxUnreadable, default: maxUnreadable)
        }
    }

    public struct OptimizerConfig: Codable, Equatable, Sendable {
        public var name = OptimizerKind.adamw
        public var learningRate = 1e-3
        public var momentum = 0.9
        public var nesterov = false
        public var weightDecay = 1e-4

        public init() {}
        public enum CodingKeys: String, CodingKey, CaseIterable { case name, learningRate, momentum, nesterov, weightDecay }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try c(.name, default: name)
            learningRate = try c(.learningRate, default: learningRate, in: .above(0))
            momentum = try c(.momentum, default: momentum, in: .from(0, below: 1))
            nesterov = try c(.nesterov, default: nesterov)
            weightDecay = try c(.weightDecay, default: weightDecay, in: .atLeast(0))
        }
    }

    public struct ScheduleConfig: Codable, Equatable, Sendable {
        public var name = ScheduleKind.cosine
        public var warmupSteps = 0
        public var stepSize = 1000
        public var gamma = 0.1
        public var minimum = 0.0

        public init() {}
        public enum CodingKeys: String, CodingKey, CaseIterable { case name, warmupSteps, stepSize, gamma, minimum }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try c(.name, default: name)
            warmupSteps = try c(.warmupSteps, default: warmupSteps, in: .atLeast(0))
            stepSize = try c(.stepSize, default: stepSize, in: .above(0))
            gamma = try c(.gamma, default: gamma, in: .above(0))
            minimum = try c(.minimum, default: minimum, in: .atLeast(0))
        }
    }

    public struct TripletConfig: Codable, Equatable, Sendable {
        public var margin = 0.2
        public var mining = Mining.batchHard
        public var distance = Loss.Distance.euclidean
        /// P and K of P×K batches (batch-hard and batch-all mining).
        public var classesPerBatch = 8
        public var imagesPerClass = 4

        public init() {}
        public enum CodingKeys: String, CodingKey, CaseIterable { case margin, mining, distance, classesPerBatch, imagesPerClass }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            margin = try c(.margin, default: margin, in: .atLeast(0))
            mining = try c(.mining, default: mining)
            distance = try c(.distance, default: distance)
            // A P×K batch needs two classes for negatives.
            classesPerBatch = try c(.classesPerBatch, default: classesPerBatch, in: .atLeast(2))
            imagesPerClass = try c(.imagesPerClass, default: imagesPerClass, in: .atLeast(1))
        }
    }

    /// Task `detector`: YOLOv5 as ultralytics trains it. Learning rate, momentum, weight decay,
    /// warm-up, loss gains and augmentation come from the hyp yaml (SGD, Nesterov, three parameter
    /// groups; the `optimizer` and `schedule` sections do not apply).
    public struct DetectorConfig: Codable, Equatable, Sendable {
        /// An ultralytics hyp yaml; absent: hyp.scratch-low's values.
        public var hyp: String?
        /// Neck and head multiples (a release size: n, s, m, l, x) of the `efficientnet_lite0` detector.
        public var neck = "n"
        /// The last this many epochs train without mosaic (ultralytics' `close_mosaic`).
        public var closeMosaic = 0
        /// Parameter path prefixes kept frozen (e.g. `backbone._blocks.0`), as ultralytics' `--freeze`.
        public var freeze: [String] = []
        /// Share of the training images carved out for validation when the data has no `val` split.
        public var validationFraction = 0.1
        /// Check the anchors' best possible recall on the training labels; re-fit them below 0.98.
        public var autoanchor = true
        /// Cosine instead of linear learning-rate decay (ultralytics' `--cos-lr`).
        public var cosine = false
        /// Keep decoded training images in RAM after their first use.
        public var cacheImages = true

        public init() {}
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case hyp, neck, closeMosaic, freeze, validationFraction, autoanchor, cosine, cacheImages
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            hyp = try c.decodeIfPresent(String.self, forKey: .hyp)
            neck = try c(.neck, default: neck)
            closeMosaic = try c(.closeMosaic, default: closeMosaic, in: .atLeast(0))
            freeze = try c(.freeze, default: freeze)
            validationFraction = try c(.validationFraction, default: validationFraction, in: .from(0, below: 1, lowerIncluded: false))
            autoanchor = try c(.autoanchor, default: autoanchor)
            cosine = try c(.cosine, default: cosine)
            cacheImages = try c(.cacheImages, default: cacheImages)
        }
    }
}

extension RunConfig {
    /// Task `style`: Complete the Look on outfits (`data.root`: the MANGO folder). Scenes are style
    /// boards of an outfit's other items at `data.imageSize`; products are letterboxed on white.
    /// With `triplets: scene` or `both`, street photos (`scenes`, YOLO boxes) add scene triplets.
    public struct StyleConfig: Codable, Equatable, Sendable {
        /// The distance trained on and ranked by.
        public var distance = StyleDistance.hybrid
        public var margin = 0.2
        public var productSize = 128
        /// The backbone stage whose map gives the scene's regions.
        public var regionStage = "head"
        /// Keep the backbone at its (ImageNet) weights, in eval mode; only the heads train.
        public var freezeBackbone = true
        /// Share of the outfits held out for validation (split by outfit, no item in both).
        public var validationFraction = 0.2
        /// Fill-in-the-blank questions asked per validation outfit (each a different blank).
        public var validationBlanks = 8
        /// Which triplets train: outfit boards, street scenes, or both.
        public var triplets = StyleTriplets.outfit
        /// Street photos with garment boxes (a YOLO folder or data.yaml) for scene triplets; the part
        /// the detector validates on (carved by the same hash) is left out.
        public var scenes = "../shared/data/colorful-fashion-detection-train"
        /// A scene triplet's negative shares the positive's category (else: any garment).
        public var sameCategoryNegatives = true

        public init() {}
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case distance, margin, productSize, regionStage, freezeBackbone, validationFraction, validationBlanks, triplets, scenes
            case sameCategoryNegatives
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            distance = try c(.distance, default: distance)
            margin = try c(.margin, default: margin, in: .atLeast(0))
            productSize = try c(.productSize, default: productSize, in: .above(0))
            regionStage = try c(.regionStage, default: regionStage)
            freezeBackbone = try c(.freezeBackbone, default: freezeBackbone)
            validationFraction = try c(.validationFraction, default: validationFraction, in: .from(0, below: 1, lowerIncluded: false))
            validationBlanks = try c(.validationBlanks, default: validationBlanks, in: .above(0))
            triplets = try c(.triplets, default: triplets)
            scenes = try c(.scenes, default: scenes)
            sameCategoryNegatives = try c(.sameCategoryNegatives, default: sameCategoryNegatives)
        }
    }
}

/// The triplets a style embedder trains on (Complete the Look trains on both kinds).
public enum StyleTriplets: String, ConfigChoice { case outfit, scene, both }

// MARK: choices

public enum TaskKind: String, ConfigChoice { case embedder, autoencoder, gender, detector, style }

public enum Architecture: String, ConfigChoice {
    case smallCNN = "small_cnn", resnet18, resnet50, mobilenetV2 = "mobilenet_v2", efficientnetLite0 = "efficientnet_lite0"
    case convAutoencoder = "conv_autoencoder"
    /// ultralytics YOLOv5 v7.0 sizes (task `detector`).
    case yolov5n, yolov5s, yolov5m, yolov5l, yolov5x
}

public enum Mining: String, ConfigChoice {
    /// The hardest positive and negative of each anchor in a P×K batch.
    case batchHard = "batch-hard"
    /// Every valid triplet of a P×K batch, averaged over the active ones.
    case batchAll = "batch-all"
    /// One random positive and negative per anchor of a shuffled batch.
    case random
}

public enum OptimizerKind: String, ConfigChoice { case sgd, adam, adamw }
public enum ScheduleKind: String, ConfigChoice { case constant, step, cosine }

/// Columns of a products `styles.csv` a task can use as its label.
public enum ProductColumn: String, ConfigChoice { case gender, masterCategory, subCategory, articleType, baseColour }

// MARK: reading and building

extension RunConfig {
    /// Reads a `.yaml`/`.yml` or `.json` run config; every problem names the file and the key.
    public static func load(_ url: URL) throws -> RunConfig {
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw DataIssue(file: url.path, reason: "cannot read config (\(error.localizedDescription))")
        }
        let isYAML = ["yaml", "yml"].contains(url.pathExtension.lowercased())
        do {
            if isYAML { return try YAMLDecoder().decode(RunConfig.self, from: bytes) }
            return try JSONDecoder().decode(RunConfig.self, from: bytes)
        } catch let error as YamlError {
            throw ConfigSyntax.error(error, in: url.path)
        } catch let error as DecodingError {
            // Syntax errors come wrapped, without a position (JSON) or with it underneath (YAML).
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                if let yaml = context.underlyingError as? YamlError { throw ConfigSyntax.error(yaml, in: url.path) }
                if !isYAML, let syntax = ConfigSyntax.jsonError(bytes, in: url.path) { throw syntax }
            }
            throw ConfigError(decoding: error, in: url.path)
        } catch {
            throw ConfigError("\(url.path): not a valid \(url.pathExtension) config (\(error))")
        }
    }

    /// The config as stored in checkpoints and the run log (sorted keys, so equal configs compare equal).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The config's optimizer over `parameters` (path, tensor), e.g. `module.namedTrainableParameters()`.
    public func makeOptimizer(_ parameters: [(String, Tensor)]) throws -> Optimizer {
        let o = optimizer
        switch o.name {
        case .sgd: return try SGD(parameters, learningRate: o.learningRate, momentum: o.momentum, weightDecay: o.weightDecay, nesterov: o.nesterov)
        case .adam: return try Adam(parameters, learningRate: o.learningRate, weightDecay: o.weightDecay)
        case .adamw: return try Adam.adamW(parameters, learningRate: o.learningRate, weightDecay: o.weightDecay)
        }
    }

    public func makeSchedule() -> LearningRateSchedule {
        let s = schedule, base = optimizer.learningRate
        let main: LearningRateSchedule = switch s.name {
        case .constant: ConstantSchedule(base)
        case .step: StepSchedule(base: base, stepSize: s.stepSize, gamma: s.gamma)
        case .cosine: CosineSchedule(base: base, totalSteps: steps - s.warmupSteps, minimum: s.minimum)
        }
        return s.warmupSteps > 0 ? WarmupSchedule(main, warmupSteps: s.warmupSteps) : main
    }
}
