import Foundation
import Models
import Torch

// `make bench`: the same work timed in LookKit and in Python on this machine, in one table
// (`lookkit-bench train search` runs only those groups of rows).
// `lookkit-bench faiss [COUNT]` (`make bench-faiss`): FAISS recall@10 and latency on two synthetic
// COUNT × 128 galleries (default 1M; about 25 minutes on 2 cores), tables of their own.
// `lookkit-bench serving`: only the serving table (exports in libtorch, OpenCV DNN and onnxruntime).
// `lookkit-bench smallcnn-steps N`: LookKit's SmallCNN training steps alone, for profilers.
// `lookkit-bench serve URL PHOTO|FOLDER… [--requests N] [--concurrency C]`: load test of a running `lookkit serve`.
// `lookkit-bench exact [ROWS…]` (`make bench-exact`): exact search implementations across gallery sizes.
let threads = Int(ProcessInfo.processInfo.environment["OMP_NUM_THREADS"] ?? "") ?? 2
Torch.threads = threads
Torch.retainFreedMemory()  // as the lookkit command runs every job: activation memory is reused, not mapped afresh
let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "faiss" {
    print(try faissRecallTables(count: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000))
} else if arguments.first == "serving" {
    print(try machineHeader(threads: threads) + "\n")
    print(try servingTable(threads: threads).markdown)
} else if arguments.first == "smallcnn-steps" {
    print(try smallCNNSteps(arguments.dropFirst().first.flatMap { Int($0) } ?? 10))
} else if arguments.first == "serve" {
    print(try await serveLoadTest(Array(arguments.dropFirst())).summary)
} else if arguments.first == "exact" {
    let sizes = arguments.dropFirst().compactMap { Int($0) }
    print(try exactSearchTable(sizes: sizes.isEmpty ? [10_000, 100_000, 1_000_000] : sizes))
} else {
    // `lookkit-bench [GROUP…]` runs only the named groups of rows (all by default).
    let groups: [(String, () throws -> [BenchRow])] = [
        ("train", { try trainStepRows(threads: threads) }),
        ("embedder", { try Set([1, threads]).sorted().map { try embedderLatencyRow(threads: $0) } }),
        ("yolo", { try yoloBenchRows(threads: threads) }),
        ("loader", { try loaderBenchRows() }),
        ("search", { try searchBenchRows() + approximateSearchRows(threads: threads) }),
    ]
    let unknown = Set(arguments).subtracting(groups.map(\.0))
    guard unknown.isEmpty else { throw BenchError("unknown bench groups \(unknown.sorted()); known: \(groups.map(\.0))") }
    print(try machineHeader(threads: threads) + "\n")
    let rows = try groups.filter { arguments.isEmpty || arguments.contains($0.0) }.flatMap { try $0.1() }
    print(benchTable(rows).markdown)
    if arguments.isEmpty {
        print("\nServing the same exports (LookKit exports; medians):\n")
        print(try servingTable(threads: threads).markdown)
    }
}
