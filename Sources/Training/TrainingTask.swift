import Datasets
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Torch

/// One kind of training (embedder, classifier, detector, style embedder…): its network, how its
/// batches are drawn, its loss, how weights are validated and how the chosen ones are scored. The
/// `TrainingJob` runs every task through the same trainer, checkpoints, resume, run log, progress,
/// run folder and `best` selection.
public protocol TrainingTask: AnyObject {
    /// What one step consumes: images with labels, images with boxes, scene/product triplets…
    associatedtype Batch

    /// Reads the config's data and builds the (seeded) network; nothing trained yet.
    init(config: RunConfig, device: Device) throws

    /// The network for `config` with `classes` (as stored in a checkpoint), untrained: what
    /// `RestoredModel` loads trained weights into.
    static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork

    var network: TaskNetwork { get }
    /// Class names, stored with the weights.
    var classes: [String] { get }
    /// One line on the data, printed when the run starts.
    var dataSummary: String { get }
    /// Problems met reading the data (skipped rows, unreadable files), shown as warnings.
    var dataIssues: [DataIssue] { get }
    /// Photos skipped so far because they could not be read (each named on stderr when first met).
    var unreadablePhotos: Int { get }

    /// The epoch's batches from batch `skip` on; the same for the same (epoch, skip), so a resumed
    /// run sees the data an uninterrupted one would.
    func batches(epoch: Int, skip: Int) throws -> AnyIterator<Batch>
    func loss(_ batch: Batch) throws -> BatchLoss
    /// The current weights' score on the validation split; higher is better. `best` keeps the
    /// weights that scored highest.
    func validate() throws -> ValidationScore
    /// Scores the chosen weights on the test split into `run`; returns what the report shows
    /// beyond curves and tables (a retrieval grid…).
    func test(logTo run: Run, folder: URL) throws -> [ReportFigure]
    /// The optimizer over the network's trainable parameters and what sets its rates each step.
    func optimization(_ config: RunConfig) throws -> (optimizer: Optimizer, schedule: any OptimizerSchedule)
}

extension TrainingTask {
    /// The config's optimizer and schedule over every trainable parameter.
    public func optimization(_ config: RunConfig) throws -> (optimizer: Optimizer, schedule: any OptimizerSchedule) {
        (try config.makeOptimizer(network.module.namedTrainableParameters()), config.makeSchedule())
    }

    /// Samples skipped because they could not be read (logged with the run).
    public var unreadablePhotos: Int { 0 }
}

/// A validation result: the metric `best` is chosen by, and every number worth logging.
public struct ValidationScore: Sendable {
    public let metric: String
    public let value: Double
    public let all: [String: Double]
    public init(metric: String, value: Double, all: [String: Double]) { (self.metric, self.value, self.all) = (metric, value, all) }
}

/// Something a task adds to the run's HTML report.
public enum ReportFigure {
    case retrievalGrid(RetrievalGrid)
    case table(MarkdownTable, caption: String)
    /// Image files (paths relative to the run folder, where the report is) with captions.
    case pictures(title: String, [(source: String, caption: String)])
}

extension TaskKind {
    /// The registry: which task type trains each kind. A new task adds its case and its line here.
    public var taskType: any TrainingTask.Type {
        switch self {
        case .embedder: EmbedderTask.self
        case .autoencoder: AutoencoderTask.self
        case .gender: ClassifierTask.self
        case .detector: DetectorTask.self
        case .style: StyleTask.self
        }
    }
}
