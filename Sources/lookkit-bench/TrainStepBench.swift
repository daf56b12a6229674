import Foundation
import Models
import Torch

/// Median seconds per training step of SmallCNN (AdamW, cross-entropy) in LookKit and in Python.
func trainStepRows(threads: Int) throws -> [BenchRow] {
    let (batch, size, repeats) = (32, 64, 30)
    let model = try SmallCNN(classes: 10)
    let optimizer = Adam.adamW(model.parameters(), learningRate: 3e-3, weightDecay: 1e-4)
    let x = try Tensor.randn([batch, 3, size, size]), y = try Tensor.randint(0, 10, [batch])
    func step() throws {
        optimizer.zeroGrad()
        try Loss.crossEntropy(model(x), y).backward()
        try optimizer.step()
    }
    for _ in 0 ..< 5 { try step() }
    var times: [Double] = []
    for _ in 0 ..< repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try step()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let python = try Double(runPythonBench("train_step.py", [threads, batch, size, repeats].map(String.init))) ?? .nan
    return [BenchRow(work: "SmallCNN train step, batch \(batch), \(size)², AdamW", lookkit: median(times), python: python,
                     unit: "s", higherIsBetter: false)]
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

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
