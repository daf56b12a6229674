import ArgumentParser
import Experiments
import Foundation
import ModelEvaluation
import Pipeline
import Torch
import Training

/// `lookkit demo`: the pipeline on the bundled data (`make demo`), or a small training run (`make demo-train`).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run LookKit on the bundled data.", subcommands: [LookDemoCommand.self, TrainDemoCommand.self],
        defaultSubcommand: LookDemoCommand.self)
}

/// Buy me that look on the bundled photos and catalog, with the bundled compact weights.
struct LookDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "look", abstract: "Recommend for the bundled photos from the bundled catalog (needs `make weights`).")

    @Option(help: "The demo bundle: weights/, photos/, catalog.csv, clothing/.") var bundle = "datasets/demo"
    @Option(help: "Where expanded weights, the catalog and the page go.") var out = "checkpoints/demo"
    @Option(help: "ImageNet EfficientNet-Lite0 (`make weights`), the backbone the compact weights extend.")
    var backbone = "checkpoints/pretrained/efficientnet_lite0.safetensors"
    @Option(help: "Pose keypoint graph (`make weights`).") var pose = "checkpoints/pretrained/pose_mobilenet_thin.pb"

    func run() throws {
        let demo = LookDemo(bundle: URL(fileURLWithPath: bundle), work: URL(fileURLWithPath: out), backbone: URL(fileURLWithPath: backbone),
                            poseGraph: URL(fileURLWithPath: pose))
        _ = try demo.run { print($0) }
    }
}

/// The main job on the bundled data: trains a small triplet embedder on the demo clothing photos,
/// scores it against an untrained floor, prints the results table and writes the HTML report.
struct TrainDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train and evaluate a small embedder on the bundled clothing photos.")

    @Option(help: "Run config; its data.root may point at any train/validation[/test] folder.")
    var config = "experiments/demo-embedder.yaml"
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Intra-op threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("db"), help: "Run log (SQLite).") var database = RunLog.defaultPath

    func run() throws {
        if let threads { Torch.threads = threads }
        let runConfig = try RunConfig.load(URL(fileURLWithPath: config))
        var job = TrainingJob(config: runConfig)
        (job.device, job.database, job.stopRequest) = (try Device.usable(device), database, .fromSignals())
        print("== training \(runConfig.name) (\(runConfig.steps) steps) ==")
        let outcome = try job.run()

        print("\n== untrained floor: random-init \(runConfig.model.architecture.rawValue) features ==")
        let test = try LabeledPhotoSplits.load(runConfig.data).test
        let floor = try runConfig.untrainedScores(on: test, device: job.device)
        let trained = try RetrievalScores(results: RunLog(path: database).results(run: outcome.runID), split: test.split)
        print("\n== results (\(floor.queries) queries, gallery of \(floor.galleryCount)) ==")
        print(RetrievalScores.table([("random-init \(runConfig.model.architecture.rawValue) features", floor)]
            + (trained.map { [("\(runConfig.model.architecture.rawValue) triplet (trained)", $0)] } ?? [])).markdown)
    }
}
