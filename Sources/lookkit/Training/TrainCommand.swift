import ArgumentParser
import Datasets
import Experiments
import Foundation
import Models
import Torch

/// `lookkit train embedder|autoencoder|gender --config experiments/….json`
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a model from a run config (JSON under experiments/).",
        subcommands: [Embedder.self, Autoencoder.self, Gender.self])

    struct Options: ParsableArguments {
        @Option(help: "Run config (JSON).") var config: String
        @Flag(help: "Continue from <output>/last.safetensors, bit for bit as if never stopped.") var resume = false
        @Option(help: "cpu, cuda or cuda:N (default: the config's device choice, else cpu).") var device = "cpu"
        @Option(help: "Intra-op threads (default: all cores).") var threads: Int?
        @Option(help: "Override the config's number of steps.") var steps: Int?
        @Option(name: .customLong("db"), help: "Run log (SQLite).") var database = RunLog.defaultPath

        func load(task: String) throws -> RunConfig {
            if let threads { Torch.threads = threads }
            var config = try RunConfig.load(URL(fileURLWithPath: self.config))
            guard config.task == task else { throw ValidationError("\(self.config) is a '\(config.task)' config, not '\(task)'") }
            if let steps { config.steps = steps }
            return config
        }
    }

    struct Embedder: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Triplet-loss embedder (backbone + projection head).")
        @OptionGroup var options: Options
        func run() throws { try TrainingJob(options: options, task: "embedder").run() }
    }

    struct Autoencoder: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Convolutional autoencoder (512-d bottleneck embedding).")
        @OptionGroup var options: Options
        func run() throws { try TrainingJob(options: options, task: "autoencoder").run() }
    }

    struct Gender: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Gender classifier (backbone + linear head).")
        @OptionGroup var options: Options
        func run() throws { try TrainingJob(options: options, task: "gender").run() }
    }
}

/// One training run from config to evaluated weights: data, model, trainer, run log, final scores.
struct TrainingJob {
    let config: RunConfig
    let resume: Bool
    let device: Device
    let database: String

    init(options: TrainCommand.Options, task: String) throws {
        try self.init(config: options.load(task: task), resume: options.resume, device: Device.usable(options.device),
                      database: options.database)
    }

    init(config: RunConfig, resume: Bool = false, device: Device = .cpu, database: String = RunLog.defaultPath) {
        (self.config, self.resume, self.device, self.database) = (config, resume, device, database)
    }

    var output: URL { URL(fileURLWithPath: config.output) }

    /// Trains, evaluates and writes `<output>/report.html`; returns the run id.
    @discardableResult
    func run() throws -> Int64 {
        let data = try TaskData.load(config.data, seed: config.seed)
        for issue in data.issues.prefix(10) { FileHandle.standardError.write(Data("warning: \(issue)\n".utf8)) }
        print("data: \(data.train.count) training photos, \(data.classes.count) classes; "
            + "\(data.queries.count) evaluation photos")
        Torch.manualSeed(config.seed)  // the initial weights too are a function of the seed
        let task = try TrainingTask.make(config, classes: data.classes)
        try task.model.move(to: device)
        print("model: \(config.model.architecture) \(config.task), \(task.model.parameterCount) parameters, \(device)")

        var options = TrainerOptions(totalSteps: config.steps)
        options.checkpointEvery = config.checkpointEvery
        options.checkpointDirectory = output
        options.gradientClipNorm = config.gradientClipNorm
        options.emaDecay = config.ema
        options.device = device
        options.mixedPrecision = config.mixedPrecision
        options.seed = config.seed
        options.metadata = ["config": config.json]
        let trainer = try Trainer(model: task.model, optimizer: config.makeOptimizer(task.model.namedTrainableParameters()),
                                  schedule: config.makeSchedule(), options: options)
        if resume, let last = trainer.lastCheckpoint {
            try trainer.resume(from: last)
            print("resumed from \(last.path) at step \(trainer.step)")
        }
        let session = try RunSession(database: database, config: config, device: device.description, totalSteps: config.steps)
        return try session.guarding {
            let trainSet = try ClassificationSet(data.train, classes: data.classes, size: config.data.imageSize, augment: true)
            let planner = try task.planner(trainSet, config)
            let collate = ClassificationBatch.collate(mean: task.normalization.mean, std: task.normalization.std)
            try trainer.run(batches: { epoch, skip in
                let epochBatches = trainSet.batches(plan: planner(epoch), epoch: epoch, skip: skip, seed: config.seed,
                                                    workers: config.data.workers, collate: collate)
                return AnyIterator { epochBatches.next()?.batch }
            }, loss: { batch in
                try task.loss(batch.images.to(device), batch.labels.to(device))
            }, onStep: session.record)
            try session.flush()

            let best = output.appendingPathComponent("best.safetensors")
            // The final weights (or their EMA) are the run's result; evaluation below scores them.
            if let ema = trainer.ema { try task.model.load(stateDict: ema.state) }
            let classes = String(decoding: try JSONEncoder().encode(data.classes), as: UTF8.self)
            try task.model.save(to: best, metadata: ["config": config.json, "classes": classes])
            for file in [best, output.appendingPathComponent("last.safetensors")] {
                try session.run.addArtifact(path: file.path, kind: "checkpoint")
            }
            print("\nweights: \(best.path)")
            let grid = try task.evaluate(data, config, device, session.run)
            try session.run.finish(status: .finished)
            var report = try RunReport.build(log: session.run.log, ids: [session.run.id])
            if let grid { report.grid(grid) }
            let page = output.appendingPathComponent("report.html")
            try Data(report.html.utf8).write(to: page)
            print("report: \(page.path)")
            return session.run.id
        }
    }
}
