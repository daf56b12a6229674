import ArgumentParser
import Experiments
import Foundation
import Training

/// `--checkpoint FILE` or `--run ID [--db PATH]`: the trained weights a command uses.
struct TrainedWeights: ParsableArguments {
    @Option(help: "A best.safetensors written by `lookkit train`.") var checkpoint: String?
    @Option(help: "Use this run's best.safetensors (found in the run log) and log the results to the run.")
    var run: Int64?
    @Option(name: .customLong("db"), help: "Run log (SQLite) holding --run.") var database = RunLog.defaultPath

    /// Exactly one of --checkpoint and --run, for commands that cannot do without trained weights.
    func requireOne() throws {
        guard (checkpoint == nil) != (run == nil) else { throw ValidationError("give one of --checkpoint FILE or --run ID") }
    }

    var source: WeightsSource {
        if let run { return .run(run, database: database) }
        return .checkpoint(URL(fileURLWithPath: checkpoint ?? ""))
    }

    /// Files one evaluation's scores under the --run run (nothing without one).
    func log(_ results: [String: Double], to run: Run?, dataset: String, split: String) throws {
        guard let run else { return }
        try run.logResults(results, dataset: dataset, split: split)
        FileHandle.standardError.write(Data("results logged to run \(run.id) in \(database)\n".utf8))
    }
}
