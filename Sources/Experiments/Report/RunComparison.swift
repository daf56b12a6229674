import Foundation
import LookKitCore

/// Side-by-side view of several runs: how their configs differ and their final numbers.
public struct RunComparison: Sendable {
    public let runs: [RunRecord]
    public let results: [[ResultRecord]]
    /// Last logged value of each per-step metric, per run.
    public let finalMetrics: [[String: Double]]

    public init(log: RunLog, ids: [Int64]) throws {
        runs = try ids.map { try log.record($0) }
        results = try ids.map { try log.results(run: $0) }
        finalMetrics = try ids.map { id in
            var last: [String: (step: Int, value: Double)] = [:]
            for point in try log.metrics(run: id) where point.step >= (last[point.name]?.step ?? .min) {
                last[point.name] = (point.step, point.value)
            }
            return last.mapValues(\.value)
        }
    }

    /// Column title per run: "name #id".
    public var runLabels: [String] { runs.map { "\($0.name) #\($0.id)" } }

    /// Run facts, then only the config keys whose values differ (all keys for a single run).
    public var configTable: MarkdownTable {
        let flat = runs.map(\.flatConfig)
        let keys = Set(flat.flatMap(\.keys)).sorted().filter { key in
            runs.count == 1 || Set(flat.map { $0[key] ?? "—" }).count > 1
        }
        let facts: [[String]] = [
            ["kind"] + runs.map(\.kind),
            ["status"] + runs.map(\.status.rawValue),
            ["device"] + runs.map { $0.device ?? "—" },
            ["git commit"] + runs.map { $0.gitCommit.map { String($0.prefix(10)) } ?? "—" },
        ]
        return MarkdownTable(headers: ["setting"] + runLabels,
                             rows: facts + keys.map { key in [key] + flat.map { $0[key] ?? "—" } })
    }

    /// Every final result and the last value of every per-step metric, one column per run.
    public var resultsTable: MarkdownTable {
        var keys: [ResultKey] = []
        for record in results.joined() where !keys.contains(ResultKey(record)) { keys.append(ResultKey(record)) }
        let resultRows = keys.map { key in
            [key.dataset, key.split, key.metric] + results.map { records in
                records.first { ResultKey($0) == key }.map { formatMetric($0.value) } ?? "—"
            }
        }
        let metricRows = Set(finalMetrics.flatMap(\.keys)).sorted().map { name in
            ["training", "last step", name] + finalMetrics.map { $0[name].map(formatMetric) ?? "—" }
        }
        return MarkdownTable(headers: ["dataset", "split", "metric"] + runLabels, rows: resultRows + metricRows)
    }

    /// One table per dataset/split with runs as rows and metrics as columns, the layout of
    /// published tables ("Model | Index size | mAP", "Model | mAP | Precision | Recall").
    public var resultTablesByDataset: [(caption: String, table: MarkdownTable)] {
        var groups: [(dataset: String, split: String)] = []
        for record in results.joined() where !groups.contains(where: { $0 == (record.dataset, record.split) }) {
            groups.append((record.dataset, record.split))
        }
        return groups.map { group in
            let inGroup = results.map { $0.filter { $0.dataset == group.dataset && $0.split == group.split } }
            var metrics: [String] = []
            for record in inGroup.joined() where !metrics.contains(record.metric) { metrics.append(record.metric) }
            let rows = zip(runs, inGroup).filter { !$0.1.isEmpty }.map { run, records in
                [run.name] + metrics.map { metric in records.first { $0.metric == metric }.map { formatMetric($0.value) } ?? "—" }
            }
            return ("\(group.dataset) (\(group.split))", MarkdownTable(headers: ["Model"] + metrics, rows: rows))
        }
    }

    private struct ResultKey: Equatable {
        var dataset, split, metric: String
        init(_ record: ResultRecord) { (dataset, split, metric) = (record.dataset, record.split, record.metric) }
    }
}
