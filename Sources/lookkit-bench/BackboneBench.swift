import Foundation
import Models
import Torch

/// Median seconds per ResNet18 training step (batch 16, 224², SGD with momentum, cross-entropy) in
/// LookKit and in Python with the same thread count. About 1.5 s a step on 2 cores, so few repeats.
func backboneBenchRows(threads: Int) throws -> [BenchRow] {
    let (batch, size, repeats) = (16, 224, 5)
    let model = try ResNet(.resnet18, classes: 10)
    let optimizer = try SGD(model.parameters(), learningRate: 0.01, momentum: 0.9)
    let x = try Tensor.randn([batch, 3, size, size]), y = try Tensor.randint(0, 10, [batch])
    func step() throws {
        optimizer.zeroGrad()
        try Loss.crossEntropy(model(x), y).backward()
        try optimizer.step()
    }
    for _ in 0 ..< 2 { try step() }
    var times: [Double] = []
    for _ in 0 ..< repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try step()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let python = try Double(runPythonBench("backbone_step.py", [threads, batch, size, repeats].map(String.init))) ?? .nan
    return [BenchRow(work: "ResNet18 train step, batch \(batch), \(size)², SGD momentum", lookkit: median(times), python: python,
                     unit: "s", higherIsBetter: false)]
}
