import Foundation

/// CSV exports of a run's per-step metrics or final results.
public enum RunExport {
    public static func metricsCSV(_ points: [MetricPoint]) -> String {
        let rows = points.sorted { ($0.step, $0.name) < ($1.step, $1.name) }.map { point in
            [String(point.step), point.epoch.map(String.init) ?? "", field(point.name), "\(point.value)",
             String(format: "%.3f", point.wallTime.timeIntervalSince1970)].joined(separator: ",")
        }
        return (["step,epoch,name,value,wall_time"] + rows).joined(separator: "\n") + "\n"
    }

    public static func resultsCSV(_ results: [ResultRecord]) -> String {
        let rows = results.map { [field($0.dataset), field($0.split), field($0.metric), "\($0.value)"].joined(separator: ",") }
        return (["dataset,split,metric,value"] + rows).joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting when a field holds a comma, quote or newline.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
