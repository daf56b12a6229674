import ArgumentParser
import Experiments
import Foundation

/// `--run ID`: evaluate the weights a training run left and log the scores back into that run.
struct RunTarget: ParsableArguments {
    @Option(help: "Score this run's best.safetensors (found in the run log) and log the results to the run.")
    var run: Int64?
    @Option(name: .customLong("db"), help: "Run log (SQLite) holding --run.") var database = RunLog.defaultPath

    /// The run's final checkpoint and the run to log into; nil without --run. Refuses a checkpoint
    /// overwritten since the run wrote it, so scores are never logged against the wrong weights.
    func resolve() throws -> (checkpoint: URL, run: Run)? {
        guard let run else { return nil }
        let log = try RunLog(path: database, create: false)
        let target = try log.run(run)
        guard let best = try log.artifacts(run: run).last(where: { $0.kind == "checkpoint" && $0.path.hasSuffix("best.safetensors") }) else {
            throw ValidationError("run \(run) in \(database) has no best.safetensors (did it finish?)")
        }
        guard try best.fileIsUnchanged() else {
            throw ValidationError("\(best.path) is missing or was overwritten since run \(run) wrote it")
        }
        return (URL(fileURLWithPath: best.path), target)
    }
}

/// The weights to use: the run's checkpoint with --run, else --checkpoint.
func trainedWeights(_ checkpoint: String?, _ logged: (checkpoint: URL, run: Run)?) throws -> URL {
    guard let file = logged?.checkpoint ?? checkpoint.map({ URL(fileURLWithPath: $0) }) else {
        throw ValidationError("give --checkpoint FILE or --run ID")
    }
    return file
}

extension Run {
    /// One evaluation's scores as results rows of `dataset`/`split`.
    func logResults(_ results: [String: Double], dataset: String, split: String) throws {
        for (metric, value) in results.sorted(by: { $0.key < $1.key }) {
            try logResult(dataset: dataset, split: split, metric: metric, value: value)
        }
    }
}
