import Foundation
import LookKitCore
import Models
import Torch

/// Median seconds per training step (forward, cross-entropy, backward, optimizer step) of the same
/// model, batch and optimizer in LookKit and in Python (Tests/bench/train_step.py) with the same threads.
func trainStepRows(threads: Int) throws -> [BenchRow] {
    let small = try SmallCNN(classes: 10)
    let resnet = try ResNet(.resnet18, classes: 10)
    return [
        try trainStepRow(model: small, optimizer: Adam.adamW(small.namedTrainableParameters(), learningRate: 3e-3, weightDecay: 1e-4),
                         python: "smallcnn", optimizerName: "adamw", batch: 32, size: 64, repeats: 30, threads: threads),
        // About 1.5 s a step on 2 cores, so few repeats.
        try trainStepRow(model: resnet, optimizer: SGD(resnet.namedTrainableParameters(), learningRate: 0.01, momentum: 0.9),
                         python: "resnet18", optimizerName: "sgd", batch: 16, size: 224, repeats: 5, threads: threads),
    ]
}

private func trainStepRow(model: some UnaryLayer, optimizer: Optimizer, python: String, optimizerName: String,
                          batch: Int, size: Int, repeats: Int, threads: Int) throws -> BenchRow {
    let times = try trainStepTimes(model: model, optimizer: optimizer, batch: batch, size: size, repeats: repeats)
    let reference = try Double(runPythonBench("train_step.py", [python, optimizerName] + [threads, batch, size, repeats].map(String.init))) ?? .nan
    return BenchRow(work: "\(python) train step, batch \(batch), \(size)², \(optimizerName)", lookkit: median(times),
                    python: reference, unit: "s", higherIsBetter: false)
}

/// Seconds of each of `repeats` classifier training steps after two warm-up steps.
private func trainStepTimes(model: some UnaryLayer, optimizer: Optimizer, batch: Int, size: Int, repeats: Int) throws -> [Double] {
    let x = try Tensor.randn([batch, 3, size, size]), y = try Tensor.randint(0, 10, [batch])
    func step() throws {
        optimizer.zeroGrad()
        try Loss.crossEntropy(model(x), y).backward()
        try optimizer.step()
    }
    for _ in 0 ..< 2 { try step() }
    return try (0..<repeats).map { _ in try seconds(step) }
}

/// `lookkit-bench smallcnn-steps N`: only LookKit's side of the SmallCNN row, for profilers
/// (valgrind --tool=callgrind counts the instructions of N steps plus the two warm-up steps).
func smallCNNSteps(_ repeats: Int) throws -> Double {
    let small = try SmallCNN(classes: 10)
    let optimizer = try Adam.adamW(small.namedTrainableParameters(), learningRate: 3e-3, weightDecay: 1e-4)
    return median(try trainStepTimes(model: small, optimizer: optimizer, batch: 32, size: 64, repeats: repeats))
}

/// Runs a script from Tests/bench with the reference Python and returns its trimmed stdout.
func runPythonBench(_ script: String, _ arguments: [String]) throws -> String {
    let python = ProcessInfo.processInfo.environment["LOOKKIT_PYTHON"] ?? ".venv/bin/python"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["Tests/bench/\(script)"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("\(script) exited with \(process.terminationStatus)") }
    return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The Python side of a bench row failed.
struct BenchError: LookKitError {
    let description: String
    init(_ description: String) { self.description = description }
    var category: ErrorCategory { .runtime }
}
