import Foundation
import Models
import Torch

/// Pipeline latency: median seconds of one photo (batch 1, 224²) through the EfficientNet-Lite0
/// embedder in eval mode without gradients, read back to host memory, against the same network in
/// PyTorch (Tests/bench/embed_bench.py), with `threads` intra-op threads on both sides. Many small
/// ops at batch 1 show per-op overhead, and how much a second thread costs to wake on shared cores.
func embedderLatencyRow(threads: Int, size: Int = 224, repeats: Int = 20) throws -> BenchRow {
    Torch.manualSeed(0)
    let embedder = try TripletEmbedder(backbone: EfficientNetLite0(classes: nil))
    embedder.eval()
    let x = try Tensor.rand([1, 3, size, size])
    let times = try Torch.withThreads(threads) {
        try withoutGrad {
            for _ in 0..<3 { _ = try embedder(x).floats() }
            return try (0..<repeats).map { _ in try seconds { _ = try embedder(x).floats() } }
        }
    }
    let python = Double(try runPythonBench("embed_bench.py", ["\(threads)", "\(size)", "\(repeats)"])) ?? .nan
    return BenchRow(work: "EfficientNet-Lite0 embedder inference, batch 1, \(size)² (eval, no grad), \(threads) thread\(threads > 1 ? "s" : "")", lookkit: median(times),
                    python: python, unit: "s", higherIsBetter: false)
}
