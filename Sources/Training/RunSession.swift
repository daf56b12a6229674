import Experiments
import Foundation
import LookKitCore

/// A training run as the user sees it: a row in the run log with every step's metrics, a progress
/// bar, and the run marked finished or failed however it ends.
final class RunSession {
    let run: Run
    private var bar: ProgressBar
    private var pending: [(step: Int, epoch: Int, values: [String: Double])] = []

    /// `resumes`: the run whose checkpoint this one continues.
    init(database: String, config: RunConfig, device: String, totalSteps: Int, resumes: Int64?) throws {
        let log = try RunLog(path: database)
        run = try log.startRun(name: config.name, kind: config.task.rawValue, config: config, device: device, resumes: resumes)
        bar = ProgressBar(total: totalSteps, label: config.name, unit: "step")
        FileHandle.standardError.write(Data("run \(run.id) logged to \(database)\n".utf8))
    }

    /// Records a step; metrics are written in batches of 20 steps so logging never slows training.
    func record(_ step: StepRecord) throws {
        var values = step.metrics
        values["loss"] = step.loss
        values["lr"] = step.learningRate
        if let norm = step.gradientNorm { values["grad_norm"] = norm }
        pending.append((step.step, step.epoch, values))
        if pending.count >= 20 || step.step == step.totalSteps { try flush() }
        bar.update(step.step, String(format: "loss %.4f", step.loss))
    }

    func flush() throws {
        for entry in pending { try run.logMetrics(step: entry.step, epoch: entry.epoch, entry.values) }
        pending.removeAll()
    }

    /// Runs `body`, marking the run interrupted or failed (after saving what was logged) if it throws.
    func guarding<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            try? flush()
            try? run.finish(status: error is TrainingInterrupted ? .interrupted : .failed)
            throw error
        }
    }
}
