import ArgumentParser
import Experiments
import Foundation

/// The trained weights a command uses: `--checkpoint FILE`, or `--run ID`, whose best.safetensors
/// the run log names and whose log then receives the scores.
struct TrainedWeights: ParsableArguments {
    @Option(help: "A best.safetensors written by `lookkit train`.") var checkpoint: String?
    @Option(help: "Use this run's best.safetensors (found in the run log) and log the results to the run.")
    var run: Int64?
    @Option(name: .customLong("db"), help: "Run log (SQLite) holding --run.") var database = RunLog.defaultPath

    private static let oneOf = ValidationError("give one of --checkpoint FILE or --run ID")

    /// Exactly one of --checkpoint and --run, for commands that cannot do without trained weights.
    func requireOne() throws {
        guard (checkpoint == nil) != (run == nil) else { throw Self.oneOf }
    }

    /// The weights file, and the run to log into with --run.
    func resolve() throws -> (file: URL, run: Run?) {
        switch (checkpoint, run) {
        case let (checkpoint?, nil): return (URL(fileURLWithPath: checkpoint), nil)
        case let (nil, id?): return try logged(id)
        default: throw Self.oneOf
        }
    }

    /// The run's best.safetensors as the log names it. Refuses one overwritten since the run wrote
    /// it, so scores are never logged against the wrong weights.
    private func logged(_ id: Int64) throws -> (file: URL, run: Run?) {
        let log = try RunLog(path: database, create: false)
        let target = try log.run(id)
        guard let best = try log.artifacts(run: id).last(where: { $0.kind == "checkpoint" && $0.path.hasSuffix("best.safetensors") }) else {
            throw ValidationError("run \(id) in \(database) has no best.safetensors (did it finish?)")
        }
        guard try best.fileIsUnchanged() else {
            throw ValidationError("\(best.path) is missing or was overwritten since run \(id) wrote it")
        }
        return (URL(fileURLWithPath: best.path), target)
    }

    /// Files one evaluation's scores under the --run run (nothing without one).
    func log(_ results: [String: Double], to run: Run?, dataset: String, split: String) throws {
        guard let run else { return }
        try run.logResults(results, dataset: dataset, split: split)
        FileHandle.standardError.write(Data("results logged to run \(run.id) in \(database)\n".utf8))
    }
}

extension Run {
    /// One evaluation's scores as results rows of `dataset`/`split`.
    func logResults(_ results: [String: Double], dataset: String, split: String) throws {
        for (metric, value) in results.sorted(by: { $0.key < $1.key }) {
            try logResult(dataset: dataset, split: split, metric: metric, value: value)
        }
    }
}
