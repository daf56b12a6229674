import ArgumentParser
import Experiments
import Foundation
import LookKitCore
import Torch
import Training

/// `lookkit train embedder|autoencoder|gender|detector|style --config experiments/….yaml`
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a model from a run config (YAML or JSON under experiments/).",
        discussion: """
            Each run gets its own folder, <project>/<name> (project: the config's, else runs/<task>; name: \
            the config's), then <name>-2, <name>-3… for later runs: config.json, last.safetensors (resumable), \
            best.safetensors (the best validation score), results.csv and report.html. \
            \(ErrorCategory.exitCodeTable)
            """,
        subcommands: TaskKind.allCases.map(command(for:)))

    struct Options: ParsableArguments {
        @Option(help: "Run config (.yaml, .yml or .json).") var config: String
        @Flag(help: "Continue the latest run folder of this name from its last.safetensors, bit for bit.") var resume = false
        @Option(help: "cpu, cuda or cuda:N.") var device = "cpu"
        @Option(help: "Intra-op threads (default: all cores).") var threads: Int?
        @Option(help: "Override the config's number of steps.") var steps: Int?
        @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable), e.g. --set style.distance=global.")
        var overrides: [String] = []
        @Option(help: "Folder for run folders (default: the config's project, else runs/<task>).") var project: String?
        @Option(help: "Run folder name (default: the config's name).") var name: String?
        @Flag(help: "Reuse <project>/<name> instead of starting <name>-2.") var existOK = false
        @Option(name: .customLong("db"), help: "Run log (SQLite).") var database = RunLog.defaultPath

        func validate() throws {
            if let steps, steps <= 0 { throw ValidationError("--steps must be positive, got \(steps)") }
            if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
        }

        func run(task: TaskKind) throws {
            if let threads { Torch.threads = threads }
            var config = try RunConfig.load(URL(fileURLWithPath: self.config)).applying(overrides)
            guard config.task == task else { throw ConfigError("\(self.config) is a '\(config.task.rawValue)' config, not '\(task.rawValue)'") }
            config.steps = steps ?? config.steps
            config.project = project ?? config.project
            config.name = name ?? config.name
            var job = TrainingJob(config: config)
            (job.device, job.database, job.resume, job.existOK) = (try Device.usable(device), database, resume, existOK)
            job.stopRequest = .fromSignals()
            try job.run()
        }
    }

    /// `lookkit train <task>`: the same options for every registered task.
    static func command(for task: TaskKind) -> ParsableCommand.Type {
        switch task {
        case .embedder: Embedder.self
        case .autoencoder: Autoencoder.self
        case .gender: Gender.self
        case .detector: Detector.self
        case .style: Style.self
        }
    }

    struct Style: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Complete the Look style embedder (global, local and hybrid distances) on outfits.")
        @OptionGroup var options: Options
        func run() throws { try options.run(task: .style) }
    }

    struct Detector: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "YOLOv5 garment detector (ultralytics' model, loss, hyp and data yamls).")
        @OptionGroup var options: Options
        func run() throws { try options.run(task: .detector) }
    }

    struct Embedder: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Triplet-loss embedder (backbone + projection head).")
        @OptionGroup var options: Options
        func run() throws { try options.run(task: .embedder) }
    }

    struct Autoencoder: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Convolutional autoencoder (bottleneck embedding).")
        @OptionGroup var options: Options
        func run() throws { try options.run(task: .autoencoder) }
    }

    struct Gender: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Gender classifier (backbone + linear head).")
        @OptionGroup var options: Options
        func run() throws { try options.run(task: .gender) }
    }
}
