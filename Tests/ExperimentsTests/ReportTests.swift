@testable import Experiments
import Foundation
import LookKitCore
import XCTest

final class ReportTests: XCTestCase {
    /// Two training runs (loss per step, final results, per-class PR curves) in a fresh log.
    func sampleLog(_ path: String) throws -> (RunLog, [Int64]) {
        let log = try RunLog(path: path)
        var ids: [Int64] = []
        for (index, lr) in [0.01, 0.001].enumerated() {
            let run = try log.startRun(name: "yolo-\(index)", kind: "train", config: ["lr": lr, "epochs": 3], device: "cpu", gitCommit: nil)
            for step in 0..<20 {
                try run.logMetrics(step: step, epoch: step / 7, ["loss": 2 / Double(step + 1 + index), "lr": lr])
            }
            try run.logResult(dataset: "colorful", split: "val", metric: "mAP", value: 0.3 + Double(index) / 10)
            try run.logResult(dataset: "colorful", split: "val", metric: "Precision", value: 0.5)
            try run.logResult(dataset: "colorful", split: "val", metric: "Recall", value: 0.25)
            for name in ["shirt", "shoe"] {
                try run.logCurve(name: "PR@0.5", series: name, points: [(0, 1), (0.5, 0.7), (1, 0)])
            }
            try run.finish()
            ids.append(run.id)
        }
        return (log, ids)
    }

    func testReportHasExpectedSeriesAndTables() throws {
        let path = try temporaryDatabase("report")
        defer { removeDatabase(path) }
        let (log, ids) = try sampleLog(path)
        let html = try RunReport.build(log: log, ids: ids).html

        XCTAssertFalse(html.contains("<script"), "no JavaScript")
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "no external resources")
        let svgs = html.components(separatedBy: "<svg ").dropFirst()
        // Training curves: loss and lr, each overlaying both runs; PR curves: one chart per run, two classes each.
        XCTAssertEqual(svgs.count, 4)
        let lossChart = try XCTUnwrap(svgs.first { $0.contains(">loss</text>") })
        XCTAssertEqual(seriesNames(lossChart), ["yolo-0 #1", "yolo-1 #2"])
        XCTAssertEqual(pointCount(lossChart, series: "yolo-0 #1"), 20)
        let prCharts = svgs.filter { $0.contains("PR@0.5") }
        XCTAssertEqual(prCharts.count, 2)
        XCTAssertEqual(prCharts.map(seriesNames), [["shirt", "shoe"], ["shirt", "shoe"]])

        XCTAssert(html.contains("| Model  |    mAP | Precision | Recall |"), html)
        XCTAssert(html.contains("<tr><td>yolo-1</td><td>0.4000</td><td>0.5000</td><td>0.2500</td></tr>"))
    }

    func testChartMapsDataToPlotArea() {
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y",
                              series: [.init(name: "a", points: [(0, 0), (5, 0.5), (10, 1)])])
        // Plot area: x 64…510, y 32 (top) … 294 (bottom); axes 0…10 and 0…1 exactly.
        XCTAssert(chart.svg.contains(#"points="64.00,294.00 287.00,163.00 510.00,32.00""#), chart.svg)
        XCTAssertEqual(LineChart.axis(0.13...0.87).ticks, [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1].map { ($0 / 0.2).rounded() * 0.2 })
        XCTAssertEqual(LineChart.thinned((0..<2_500).map { (Double($0), 0) }).last?.x, 2_499)
    }

    func testComparisonShowsOnlyDifferingConfig() throws {
        let path = try temporaryDatabase("compare")
        defer { removeDatabase(path) }
        let (log, ids) = try sampleLog(path)
        let comparison = try RunComparison(log: log, ids: ids)
        XCTAssertEqual(comparison.configTable.rows.map(\.first), ["kind", "status", "device", "git commit", "lr"])
        XCTAssertEqual(comparison.configTable.rows.last, ["lr", "0.01", "0.001"])
        XCTAssertEqual(comparison.resultsTable.rows.first, ["colorful", "val", "mAP", "0.3000", "0.4000"])
        XCTAssertEqual(comparison.resultsTable.rows.last, ["training", "last step", "lr", "0.0100", "0.0010"])
        XCTAssertEqual(comparison.finalMetrics[0]["loss"], 0.1)
    }

    func testMarkdownAndCSV() {
        let table = MarkdownTable(headers: ["Model", "Index size", "mAP"], rows: [["resnet", "1000", "0.41"], ["mobilenet", "20", "0.3"]])
        XCTAssertEqual(table.markdown, """
            | Model     | Index size |  mAP |
            |-----------|-----------:|-----:|
            | resnet    |       1000 | 0.41 |
            | mobilenet |         20 |  0.3 |
            """)
        let csv = RunExport.metricsCSV([MetricPoint(step: 1, epoch: nil, name: "a,b", value: 0.5, wallTime: Date(timeIntervalSince1970: 2))])
        XCTAssertEqual(csv, "step,epoch,name,value,wall_time\n1,,\"a,b\",0.5,2.000\n")
        XCTAssertEqual(formatMetric(3), "3")
        XCTAssertEqual(formatMetric(0.123456), "0.1235")
    }

    func testRetrievalGridEmbedsImages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appendingPathComponent("q.png")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: image)
        let grid = RetrievalGrid(title: "top-2", rows: [.init(query: image.path, results: [(image.path, true), (folder.appendingPathComponent("gone.jpg").path, false)])])
        XCTAssertEqual(grid.html.components(separatedBy: "src=\"data:image/png;base64,iVBORw==\"").count, 3)
        XCTAssert(grid.html.contains(#"class="thumb correct""#))
        XCTAssert(grid.html.contains(#"<div class="thumb wrong missing" title="gone.jpg">"#))
    }

    private func seriesNames(_ svg: String) -> [String] {
        svg.components(separatedBy: "data-series=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    private func pointCount(_ svg: String, series: String) -> Int {
        guard let part = svg.components(separatedBy: "data-series=\"\(series)\" points=\"").dropFirst().first else { return 0 }
        return part.prefix { $0 != "\"" }.split(separator: " ").count
    }
}
