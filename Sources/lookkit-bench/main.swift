import Foundation
import Models
import Torch

// `make bench`: the same work timed in LookKit and in Python on this machine, in one table.
// `lookkit-bench faiss [COUNT]` (`make bench-faiss`): FAISS recall@10 and latency on two synthetic
// COUNT × 128 galleries (default 1M; about 25 minutes on 2 cores), tables of their own.
// `lookkit-bench serving`: only the serving table (exports in libtorch, OpenCV DNN and onnxruntime).
let threads = Int(ProcessInfo.processInfo.environment["OMP_NUM_THREADS"] ?? "") ?? 2
Torch.threads = threads
let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "faiss" {
    print(try faissRecallTables(count: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000))
} else if arguments.first == "serving" {
    print(try machineHeader(threads: threads) + "\n")
    print(try servingTable(threads: threads).markdown)
} else {
    print(try machineHeader(threads: threads) + "\n")
    var rows: [BenchRow] = []
    rows += try trainStepRows(threads: threads)
    rows += try yoloBenchRows(threads: threads)
    rows += try loaderBenchRows()
    rows += try searchBenchRows()
    print(benchTable(rows).markdown)
    print("\nServing the same exports (LookKit exports; medians):\n")
    print(try servingTable(threads: threads).markdown)
}
