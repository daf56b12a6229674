import Foundation
import Models
import Torch

// `make bench`: the same work timed in LookKit and in Python on this machine, in one table.
// `lookkit-bench faiss [COUNT]` (`make bench-faiss`): FAISS recall@10 and latency on a synthetic
// COUNT × 128 gallery (default 1M; about 15 minutes on 2 cores), a table of its own.
let threads = Int(ProcessInfo.processInfo.environment["OMP_NUM_THREADS"] ?? "") ?? 2
Torch.threads = threads
let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "faiss" {
    print(try faissRecallTable(count: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000))
} else {
    var rows: [BenchRow] = []
    rows += try trainStepRows(threads: threads)
    rows += try loaderBenchRows()
    rows += try searchBenchRows()
    print(markdownTable(rows))
}
