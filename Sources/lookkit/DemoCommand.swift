import ArgumentParser
import Experiments
import Foundation
import ModelEvaluation
import Torch
import Training

/// The main job on the bundled data: trains a small triplet embedder on the demo clothing photos,
/// scores it against an untrained floor, prints the results table and writes the HTML report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Train and evaluate a small embedder on the bundled clothing photos.")

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
