import Datasets
import Experiments
import Foundation
import LookKitCore
import ModelEvaluation
import Torch

/// One training run from config to tested weights, the same for every task: a new run folder,
/// the task's data and network, the shared trainer (checkpoints, resume), the run log, validation
/// at epoch ends keeping `best`, the test scores of `best`, and the HTML report.
public struct TrainingJob {
    public var config: RunConfig
    public var device: Device = .cpu
    public var database = RunLog.defaultPath
    /// Continue the latest run folder of this name from its `last.safetensors`.
    public var resume = false
    /// Reuse `<project>/<name>` instead of starting `<name>-2` (ultralytics' `--exist-ok`).
    public var existOK = false
    /// Set (e.g. by SIGINT/SIGTERM, see `StopRequest.fromSignals()`) to stop after the current step,
    /// checkpoint saved and the run marked interrupted.
    public var stopRequest: StopRequest?

    public init(config: RunConfig) { self.config = config }

    /// Where run folders go: the config's project, else `runs/<task>`.
    public var project: URL { URL(fileURLWithPath: config.project ?? "runs/\(config.task.rawValue)") }

    /// Trains the config's task (see `TaskKind.taskType`).
    @discardableResult
    public func run() throws -> TrainingOutcome { try run(config.task.taskType) }

    /// Trains `Task`; public so a task outside the registry (a test's, a plug-in's) runs the same way.
    @discardableResult
    public func run<Task: TrainingTask>(_ taskType: Task.Type) throws -> TrainingOutcome {
        let folder = try runFolder()
        try config.json.write(toPath: folder.config.path)
        print("run folder: \(folder.url.path)")
        Torch.manualSeed(config.seed)  // the initial weights too are a function of the seed
        let task = try Task(config: config, device: device)
        for issue in task.dataIssues.prefix(10) { FileHandle.standardError.write(Foundation.Data("warning: \(issue)\n".utf8)) }
        print("data: \(task.dataSummary)")
        let module = task.network.module
        try module.move(to: device)
        print("model: \(config.model.architecture.rawValue) \(config.task.rawValue), \(module.parameterCount) parameters, \(device)")

        // A resumed run names, in the log, the run whose checkpoint it continues.
        let resuming = resume && FileManager.default.fileExists(atPath: folder.last.path)
        let previous = resuming ? try SafeTensors.metadata(folder.last)["run_id"].flatMap { Int64($0) } : nil
        let session = try RunSession(database: database, config: config, device: device.description, totalSteps: config.steps,
                                     resumes: previous)
        return try session.guarding {
            let (optimizer, schedule) = try task.optimization(config)
            let trainer = try Trainer(model: module, optimizer: optimizer, schedule: schedule, options: trainerOptions(folder, runID: session.run.id))
            if resuming {
                try trainer.resume(from: folder.last)
                print("resumed from \(folder.last.path) at step \(trainer.step)" + (previous.map { " (run \($0))" } ?? ""))
            }
            let classes = String(decoding: try JSONEncoder().encode(task.classes), as: UTF8.self)
            let best = try BestWeights(file: folder.best, metadata: ["config": config.json, "classes": classes], resuming: resuming)
            var validation = try ValidationLog(file: folder.results, resumedAt: resuming ? trainer.step : nil)

            func validate(epoch: Int) throws {
                // Scored (and kept) as the run would ship them: the EMA weights when there is one.
                let (score, improved) = try trainer.withEvaluatedWeights {
                    let score = try preservingRandomState { try task.validate() }
                    return (score, try best.consider(score, epoch: epoch, step: trainer.step, trainingSeconds: trainer.trainingSeconds, module: module))
                }
                try session.run.logMetrics(step: trainer.step, epoch: epoch, score.all.mapKeys { "val/\($0)" })
                try validation.append(epoch: epoch, step: trainer.step, learningRate: trainer.optimizer.learningRate, score: score)
                FileHandle.standardError.write(Foundation.Data(String(format: "\nepoch %d: validation %@ %.4f%@\n", epoch, score.metric,
                                                                      score.value, improved ? " (best)" : "").utf8))
            }
            try trainer.run(batches: task.batches, loss: task.loss, onStep: { step in
                validation.add(loss: step.loss)
                try session.record(step)
            }, onEpochEnd: { epoch in
                if config.validateEvery > 0, (epoch + 1) % config.validateEvery == 0 { try validate(epoch: epoch) }
            })
            try session.flush()
            // The final weights are a candidate too, unless the last epoch's validation just scored them.
            if validation.lastStep != trainer.step { try validate(epoch: trainer.epoch) }

            // The best-validating weights are the run's result; the test split scores them.
            try module.load(stateDict: Checkpoint.load(folder.best))
            for file in [folder.best, folder.last] { try session.run.addArtifact(path: file.path, kind: "checkpoint") }
            try session.run.addArtifact(path: folder.results.path, kind: "results")
            let chosen = try SafeTensors.metadata(folder.best)
            print("\nweights: \(folder.best.path) (epoch \(chosen["epoch"] ?? "?"), validation \(chosen["metric"] ?? "") \(chosen["score"] ?? "?"))")
            let figures = try task.test(logTo: session.run, folder: folder.url)
            try session.run.logResults(["data_issues": Double(task.dataIssues.count), "unreadable_photos": Double(task.unreadablePhotos)],
                                       dataset: config.data.root, split: "all")
            if task.unreadablePhotos > 0 { print("\(task.unreadablePhotos) unreadable photos were skipped (named above)") }
            try session.run.finish(status: .finished)
            try RunReportPage.write(run: session.run, figures: figures, to: folder.report)
            try session.run.addArtifact(path: folder.report.path, kind: "report")
            print("report: \(folder.report.path)")
            return TrainingOutcome(runID: session.run.id, folder: folder, bestEpoch: chosen["epoch"].flatMap(Int.init))
        }
    }

    private func runFolder() throws -> RunFolder {
        guard resume else { return try RunFolder.create(project: project, name: config.name, existOK: existOK) }
        let name = existOK ? RunFolder(url: project.appendingPathComponent(config.name)) : RunFolder.latest(project: project, name: config.name)
        guard let folder = name, FileManager.default.fileExists(atPath: folder.url.path) else {
            throw NotFoundError("no run folder \(project.appendingPathComponent(config.name).path) to resume")
        }
        try checkResumable(folder)
        return folder
    }

    /// A run resumes only with the config it started with (more `steps` aside): a changed batch
    /// size, learning rate or dataset would silently train something neither config describes.
    private func checkResumable(_ folder: RunFolder) throws {
        guard let saved = try? Data(contentsOf: folder.config) else { return }
        // Read back through the type, so keys added since the run started compare at their defaults.
        let started: RunConfig
        do { started = try JSONDecoder().decode(RunConfig.self, from: saved) } catch {
            throw ConfigError(decoding: error, in: folder.config.path)
        }
        let (before, now) = (flattenedJSON(started.json), flattenedJSON(config.json))
        let changed = Set(before.keys).union(now.keys).filter { $0 != "steps" && before[$0] != now[$0] }.sorted()
        guard changed.isEmpty else {
            throw ConfigError("\(folder.config.path): the run started with other values for \(changed.joined(separator: ", ")); "
                              + "resume it with that config (only steps may change), or start a new run without --resume")
        }
    }

    private func trainerOptions(_ folder: RunFolder, runID: Int64) -> TrainerOptions {
        var options = TrainerOptions(totalSteps: config.steps)
        options.checkpointEvery = config.checkpointEvery
        options.checkpointDirectory = folder.url
        options.gradientClipNorm = config.gradientClipNorm
        options.emaDecay = config.ema
        options.device = device
        options.mixedPrecision = config.mixedPrecision
        options.seed = config.seed
        options.metadata = ["config": config.json, "run_id": String(runID)]
        options.stopRequest = stopRequest
        return options
    }
}

/// What a finished run left: its id in the run log, its folder and the epoch `best` came from.
public struct TrainingOutcome: Sendable {
    public let runID: Int64
    public let folder: RunFolder
    public let bestEpoch: Int?
}

extension Dictionary {
    func mapKeys(_ transform: (Key) -> Key) -> [Key: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
