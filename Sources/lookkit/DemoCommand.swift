import ArgumentParser
import Datasets
import Experiments
import Foundation
import Models
import Torch

/// The main job on the bundled data: trains a small triplet embedder on the demo clothing photos,
/// evaluates its retrieval against an untrained floor, prints the results table and writes the
/// HTML report (training curves, results, retrieval grid).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Train and evaluate a small embedder on the bundled clothing photos.")

    @Option(help: "Run config; its data.root may point at any train/validation[/test] folder.")
    var config = "experiments/demo-embedder.json"
    @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
    @Option(help: "Intra-op threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("db"), help: "Run log (SQLite).") var database = RunLog.defaultPath

    func run() throws {
        if let threads { Torch.threads = threads }
        let runConfig = try RunConfig.load(URL(fileURLWithPath: config))
        let device = try Device.usable(self.device)
        print("== training \(runConfig.name) (\(runConfig.steps) steps) ==")
        let runID = try TrainingJob(config: runConfig, device: device, database: database).run()

        print("\n== untrained floor: random-init \(runConfig.model.architecture) features ==")
        Torch.manualSeed(runConfig.seed)
        let floor = try Architectures.backbone(runConfig.model.architecture)
        let data = try TaskData.load(runConfig.data, seed: runConfig.seed)
        let embeddings = try embedPhotos(data.gallery, size: runConfig.data.imageSize, workers: runConfig.data.workers,
                                         device: device, label: "embed", model: floor,
                                         normalization: Architectures.normalization(of: floor)) { try floor.pooledFeatures($0) }
        var top: [[Int]] = []
        let floorScores = try RetrievalScores(queries: embeddings.slice(0, 0, data.queries.count), queryLabels: data.queries.map(\.label),
                                              queryRows: Array(data.queries.indices), gallery: embeddings,
                                              galleryLabels: data.gallery.map(\.label), topK: &top)
        let results = try RunLog(path: database).results(run: runID)
        print("\n== results (\(data.queries.count) queries, gallery of \(data.gallery.count)) ==")
        print(RetrievalScores.tableHeader)
        print(floorScores.tableRow("random-init \(runConfig.model.architecture) features"))
        print(RetrievalScores(results: results)?.tableRow("\(runConfig.model.architecture) triplet (trained)") ?? "")
    }
}
