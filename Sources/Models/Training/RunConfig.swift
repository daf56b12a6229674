import Foundation
import Torch

/// A training run as written in a JSON file under `experiments/`: what to train, on what, and how.
/// Keys a file leaves out take the values in `RunConfig.defaults`.
public struct RunConfig: Codable, Equatable {
    public var name: String
    /// "embedder", "autoencoder" or "gender".
    public var task: String
    public var model: ModelConfig
    public var data: DataConfig
    public var optimizer: OptimizerConfig
    public var schedule: ScheduleConfig
    public var steps: Int
    public var batchSize: Int
    public var checkpointEvery: Int
    public var gradientClipNorm: Double?
    public var ema: Double?
    public var mixedPrecision: Bool
    public var seed: UInt64
    /// Triplet settings (task "embedder").
    public var triplet: TripletConfig
    /// Where `last.safetensors` and `best.safetensors` go.
    public var output: String

    public struct ModelConfig: Codable, Equatable {
        /// "resnet18", "resnet50", "mobilenet_v2", "efficientnet_lite0", "small_cnn", "conv_autoencoder".
        public var architecture: String
        /// Optional pretrained backbone weights (.safetensors or .pt); nothing is downloaded.
        public var weights: String?
        public var embeddingDimension: Int
        public var dropout: Double
    }

    public struct DataConfig: Codable, Equatable {
        public var root: String
        public var imageSize: Int
        public var workers: Int
        /// Column holding the class for CSV datasets (e.g. "gender").
        public var labelColumn: String?
        /// Keep only these classes (e.g. ["Men", "Women"]).
        public var classes: [String]?
    }

    public struct OptimizerConfig: Codable, Equatable {
        /// "sgd", "adam" or "adamw".
        public var name: String
        public var learningRate: Double
        public var momentum: Double
        public var nesterov: Bool
        public var weightDecay: Double
    }

    public struct ScheduleConfig: Codable, Equatable {
        /// "constant", "step" or "cosine".
        public var name: String
        public var warmupSteps: Int
        public var stepSize: Int
        public var gamma: Double
        public var minimum: Double
    }

    public struct TripletConfig: Codable, Equatable {
        public var margin: Double
        /// "batch-hard" or "batch-all" on P×K batches, or "random" triplets.
        public var mining: String
        /// "euclidean", "squaredEuclidean" or "cosine".
        public var distance: String
        public var classesPerBatch: Int
        public var imagesPerClass: Int
    }

    /// Values for every key a config may omit.
    public static let defaults: [String: Any] = [
        "optimizer": ["name": "adamw", "learningRate": 1e-3, "momentum": 0.9, "nesterov": false, "weightDecay": 1e-4],
        "schedule": ["name": "cosine", "warmupSteps": 0, "stepSize": 1000, "gamma": 0.1, "minimum": 0.0],
        "model": ["embeddingDimension": 128, "dropout": 0.2],
        "data": ["imageSize": 64, "workers": 2],
        "triplet": ["margin": 0.2, "mining": "batch-hard", "distance": "euclidean", "classesPerBatch": 8, "imagesPerClass": 4],
        "batchSize": 32, "checkpointEvery": 500, "mixedPrecision": false, "seed": 0,
    ]

    public static func load(_ url: URL) throws -> RunConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw TorchError("\(url.path): cannot read config (\(error.localizedDescription))") }
        guard let given = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TorchError("\(url.path): not a JSON object")
        }
        let merged = try JSONSerialization.data(withJSONObject: merging(defaults, given))
        do { return try JSONDecoder().decode(RunConfig.self, from: merged) } catch let DecodingError.keyNotFound(key, context) {
            throw TorchError("\(url.path): missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw TorchError("\(url.path): bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        }
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The configured optimizer over `parameters` (by path, e.g. `model.namedTrainableParameters()`).
    public func makeOptimizer(_ parameters: [(String, Tensor)]) throws -> Optimizer {
        let o = optimizer
        switch o.name {
        case "sgd": return try SGD(parameters, learningRate: o.learningRate, momentum: o.momentum, weightDecay: o.weightDecay, nesterov: o.nesterov)
        case "adam": return try Adam(parameters, learningRate: o.learningRate, weightDecay: o.weightDecay)
        case "adamw": return try Adam.adamW(parameters, learningRate: o.learningRate, weightDecay: o.weightDecay)
        default: throw TorchError("unknown optimizer '\(o.name)' (sgd, adam, adamw)")
        }
    }

    public func makeSchedule() throws -> LearningRateSchedule {
        let s = schedule, base = optimizer.learningRate
        let main: LearningRateSchedule
        switch s.name {
        case "constant": main = ConstantSchedule(base)
        case "step": main = StepSchedule(base: base, stepSize: s.stepSize, gamma: s.gamma)
        case "cosine": main = CosineSchedule(base: base, totalSteps: steps - s.warmupSteps, minimum: s.minimum)
        default: throw TorchError("unknown schedule '\(s.name)' (constant, step, cosine)")
        }
        return s.warmupSteps > 0 ? WarmupSchedule(main, warmupSteps: s.warmupSteps) : main
    }
}

/// `base` with `override`'s values on top, nested objects merged key by key.
func merging(_ base: [String: Any], _ override: [String: Any]) -> [String: Any] {
    base.merging(override) { old, new in
        if let old = old as? [String: Any], let new = new as? [String: Any] { return merging(old, new) }
        return new
    }
}
