import Datasets
import Experiments
import Foundation
import ModelEvaluation
import Torch
import Training
import XCTest

/// A task whose validation scores are scripted, so the job's choice of `best` can be checked:
/// a tiny linear model trained on random batches, three batches an epoch.
final class ScriptedTask: TrainingTask {
    typealias Batch = Tensor
    nonisolated(unsafe) static var scores: [Double] = []
    nonisolated(unsafe) static var latest: ScriptedTask?
    let linear: Linear
    let network: TaskNetwork
    /// The weights each validation saw, in order.
    var validated: [[(String, Tensor)]] = []

    init(config: RunConfig, device: Device) throws {
        network = try Self.network(config: config, classes: [])
        linear = network.module as! Linear
        Self.latest = self
    }

    static func network(config: RunConfig, classes: [String]) throws -> TaskNetwork {
        let linear = try Linear(4, 2)
        return TaskNetwork(module: linear, normalization: ([0], [1])) { try linear($0) }
    }

    var classes: [String] { ["a", "b"] }
    var dataSummary: String { "scripted" }
    var dataIssues: [DataIssue] { [] }

    func batches(epoch: Int, skip: Int) throws -> AnyIterator<Tensor> {
        AnyIterator(try (skip..<3).map { _ in try Tensor.randn([8, 4]) }.makeIterator())
    }

    func loss(_ batch: Tensor) throws -> BatchLoss {
        let y = try linear(batch) - 1
        return BatchLoss(try (y * y).mean())
    }

    func validate() throws -> ValidationScore {
        validated.append(try linear.stateDict().map { ($0.0, try $0.1.clone()) })
        let score = Self.scores[(validated.count - 1) % Self.scores.count]
        return ValidationScore(metric: "scripted", value: score, all: ["scripted": score])
    }

    func test(logTo run: Run, folder: URL) throws -> [ReportFigure] {
        try run.logResults(["scripted": 1], dataset: "none", split: "test")
        return []
    }
}

/// Every run gets its own folder under `<project>`, never overwriting another, and `best` holds the
/// best-validating epoch's weights, not the last.
final class RunFolderTests: XCTestCase {
    func testSameNameRunsGetTwoFoldersAndBestIsTheBestValidatingEpoch() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-runs-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        var config = RunConfig(name: "scripted", task: .embedder, model: .init(architecture: .smallCNN), data: .init(root: "unused"), steps: 12)
        config.project = work.appendingPathComponent("runs").path
        config.checkpointEvery = 4
        var job = TrainingJob(config: config)
        job.database = work.appendingPathComponent("runs.db").path

        // Epochs end at steps 3, 6 and 9; the final weights (step 12) are validated too.
        ScriptedTask.scores = [0.2, 0.9, 0.5, 0.1]
        let first = try job.run(ScriptedTask.self)
        let task = try XCTUnwrap(ScriptedTask.latest)
        XCTAssertEqual(task.validated.count, 4)
        XCTAssertEqual(first.folder.url.lastPathComponent, "scripted")
        XCTAssertEqual(first.bestEpoch, 1)
        let best = try SafeTensors.read(first.folder.best)
        XCTAssertEqual(best.map(\.0), task.validated[1].map(\.0))
        for ((name, saved), (_, seen)) in zip(best, task.validated[1]) {
            XCTAssertEqual(try saved.floats(), try seen.floats(), "best.\(name) is not the epoch-1 weights")
        }
        let metadata = try SafeTensors.metadata(first.folder.best)
        XCTAssertEqual(metadata["step"], "6")
        XCTAssertEqual(metadata["score"], "0.9")
        // The last weights moved on: best is not simply the end of training.
        let last = Dictionary(uniqueKeysWithValues: try Checkpoint.load(first.folder.last).map { ($0.0, $0.1) })
        XCTAssertNotEqual(try last["model.weight"]?.floats(), try best.first { $0.0 == "weight" }?.1.floats())
        // results.csv: one row per validation, with the step and the score.
        let rows = try String(contentsOf: first.folder.results, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "epoch,step,train_loss,lr,scripted")
        XCTAssertEqual(rows.dropFirst().map { $0.split(separator: ",")[1] }, ["3", "6", "9", "12"])
        XCTAssertEqual(rows.dropFirst().map { Double($0.split(separator: ",")[4]) }, [0.2, 0.9, 0.5, 0.1])

        // The same name again: a second folder; the first run's files are untouched.
        ScriptedTask.scores = [0.3, 0.1, 0.1, 0.8]
        let firstBest = try Data(contentsOf: first.folder.best)
        let second = try job.run(ScriptedTask.self)
        XCTAssertEqual(second.folder.url.lastPathComponent, "scripted-2")
        XCTAssertEqual(second.bestEpoch, 3, "the final weights scored best this time")
        XCTAssertEqual(try Data(contentsOf: first.folder.best), firstBest)
        XCTAssertNotEqual(second.runID, first.runID)
        // The run log points at each run's own folder.
        let log = try RunLog(path: job.database, create: false)
        XCTAssertTrue(try log.artifacts(run: second.runID).contains { $0.path == second.folder.best.path })
        XCTAssertEqual(RunFolder.latest(project: work.appendingPathComponent("runs"), name: "scripted")?.url.path, second.folder.url.path)
    }

    func testResumeRefusesAChangedConfigButAllowsMoreSteps() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lookkit-runs-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        var config = RunConfig(name: "scripted", task: .embedder, model: .init(architecture: .smallCNN), data: .init(root: "unused"), steps: 6)
        config.project = work.path
        var job = TrainingJob(config: config)
        job.database = work.appendingPathComponent("runs.db").path
        ScriptedTask.scores = [0.5]
        try job.run(ScriptedTask.self)

        job.resume = true
        job.config.optimizer.learningRate = 0.5
        XCTAssertThrowsError(try job.run(ScriptedTask.self)) { error in
            XCTAssertTrue("\(error)".contains("other values for optimizer.learningRate"), "\(error)")
        }
        job.config = config
        job.config.steps = 9
        // A run started before a config section existed (here: without `detector`) resumes: the section is at its defaults.
        let folder = work.appendingPathComponent("scripted/config.json")
        var saved = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder)) as? [String: Any])
        XCTAssertNotNil(saved.removeValue(forKey: "detector"))
        try JSONSerialization.data(withJSONObject: saved).write(to: folder)
        let resumed = try job.run(ScriptedTask.self)
        XCTAssertEqual(resumed.folder.url.lastPathComponent, "scripted", "resumed in place")
        XCTAssertEqual(try SafeTensors.metadata(resumed.folder.last)["run_id"], String(resumed.runID))
        XCTAssertEqual(try RunLog(path: job.database, create: false).record(resumed.runID).resumes, 1)
    }
}
