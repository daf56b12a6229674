import Foundation
import LookKitCore

/// The standard report for one or more runs: run facts and config differences, results tables,
/// training curves (runs overlaid per metric), stored curves such as per-class PR curves, and
/// artifacts. Callers may append more sections (e.g. a retrieval grid) before rendering.
public enum RunReport {
    public static func build(log: RunLog, ids: [Int64], title: String? = nil) throws -> HTMLReport {
        let comparison = try RunComparison(log: log, ids: ids)
        var report = HTMLReport(title: title ?? "LookKit report: " + comparison.runLabels.joined(separator: ", "))

        report.heading("Runs")
        report.table(comparison.configTable)

        let byDataset = comparison.resultTablesByDataset
        if !byDataset.isEmpty {
            report.heading("Results")
            for (caption, table) in byDataset { report.table(table, caption: caption) }
        }

        let metrics = try ids.map { try log.metrics(run: $0) }
        let charts = trainingCharts(labels: comparison.runLabels, metrics: metrics)
        if !charts.isEmpty {
            report.heading("Training curves")
            report.charts(charts)
        }

        let curveCharts = try zip(comparison.runLabels, ids).flatMap { label, id in
            try storedCurveCharts(label: label, curves: log.curves(run: id))
        }
        if !curveCharts.isEmpty {
            report.heading("Curves")
            report.charts(curveCharts)
        }

        let artifacts = try zip(comparison.runLabels, ids).flatMap { label, id in
            try log.artifacts(run: id).map { [label, $0.kind, $0.path, String($0.size), String($0.sha256.prefix(16))] }
        }
        if !artifacts.isEmpty {
            report.heading("Artifacts")
            report.table(MarkdownTable(headers: ["run", "kind", "path", "bytes", "sha256"], rows: artifacts))
        }
        return report
    }

    /// One chart per metric name, one series per run, x = step.
    static func trainingCharts(labels: [String], metrics: [[MetricPoint]]) -> [LineChart] {
        var names: [String] = []
        for point in metrics.joined() where !names.contains(point.name) { names.append(point.name) }
        return names.sorted().map { name in
            let series = zip(labels, metrics).compactMap { label, points -> LineChart.Series? in
                let mine = points.filter { $0.name == name }.map { (x: Double($0.step), y: $0.value) }
                return mine.isEmpty ? nil : LineChart.Series(name: label, points: mine)
            }
            return LineChart(title: name, xLabel: "step", yLabel: name, series: series)
        }
    }

    /// One chart per stored curve name of a run, one series per curve series (e.g. class);
    /// curves living in [0, 1] (PR curves) get fixed 0–1 axes.
    static func storedCurveCharts(label: String, curves: [Curve]) -> [LineChart] {
        var names: [String] = []
        for curve in curves where !names.contains(curve.name) { names.append(curve.name) }
        return names.map { name in
            let mine = curves.filter { $0.name == name }
            let unit = mine.allSatisfy { $0.points.allSatisfy { (0...1).contains($0.x) && (0...1).contains($0.y) } }
            let axes = name.lowercased().hasPrefix("pr") ? ("recall", "precision") : ("x", "y")
            return LineChart(title: "\(name) — \(label)", xLabel: axes.0, yLabel: axes.1,
                             series: mine.map { LineChart.Series(name: $0.series, points: $0.points) },
                             xRange: unit ? 0...1 : nil, yRange: unit ? 0...1 : nil)
        }
    }
}
