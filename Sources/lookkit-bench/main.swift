import Foundation
import Models
import Torch

// `make bench`: the same work timed in LookKit and in Python on this machine, in one table.
let threads = Int(ProcessInfo.processInfo.environment["OMP_NUM_THREADS"] ?? "") ?? 2
Torch.threads = threads
var rows: [BenchRow] = []
rows += try trainStepRows(threads: threads)
rows += try loaderBenchRows()
rows += try searchBenchRows()
print(markdownTable(rows))
