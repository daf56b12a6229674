import Foundation
import LookKitCore

/// CSV exports of a run's per-step metrics or final results.
public enum RunExport {
    public static func metricsCSV(_ points: [MetricPoint]) -> String {
        let rows = points.sorted { ($0.step, $0.name) < ($1.step, $1.name) }.map { point in
            CSV.line([String(point.step), point.epoch.map(String.init) ?? "", point.name, "\(point.value)",
                      String(format: "%.3f", point.wallTime.timeIntervalSince1970)])
        }
        return (["step,epoch,name,value,wall_time"] + rows).joined(separator: "\n") + "\n"
    }

    public static func resultsCSV(_ results: [ResultRecord]) -> String {
        let rows = results.map { CSV.line([$0.dataset, $0.split, $0.metric, "\($0.value)"]) }
        return (["dataset,split,metric,value"] + rows).joined(separator: "\n") + "\n"
    }
}
