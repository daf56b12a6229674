@testable import Experiments
import Foundation
import TestSupport
import XCTest

/// Builds a realistic sample report: three runs with noisy training curves, per-class PR curves,
/// published-style results tables and, when ../shared/data is present, a retrieval grid of real
/// clothing photos. With LOOKKIT_SAMPLE_DIR set it keeps runs.db and report.html there
/// (Tests/report_screenshot.sh renders that page in headless Chromium).
final class SampleReportTests: XCTestCase {
    func testSampleReport() throws {
        let keep = ProcessInfo.processInfo.environment["LOOKKIT_SAMPLE_DIR"]
        let folder = keep.map(URL.init(fileURLWithPath:))
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sample-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let database = folder.appendingPathComponent("runs.db")
        try? FileManager.default.removeItem(at: database)

        let log = try RunLog(path: database.path)
        var random = SystemRandomNumberGenerator()
        var ids: [Int64] = []
        for (name, lr, floor) in [("resnet18", 0.01, 0.35), ("mobilenetv2", 0.005, 0.5), ("efficientnet-lite0", 0.003, 0.28)] {
            let run = try log.startRun(name: name, kind: "train", config: ["lr": lr, "epochs": 10, "size": 160], device: "cpu")
            for step in stride(from: 0, through: 400, by: 5) {
                let loss = floor + 2 * exp(-Double(step) / 80) + .random(in: -0.04...0.04, using: &random)
                try run.logMetrics(step: step, epoch: step / 40, ["loss": loss, "accuracy": 1 - loss / 2.4])
            }
            try run.logResult(dataset: "deepfashion", split: "test", metric: "Index size", value: 12_000)
            try run.logResult(dataset: "deepfashion", split: "test", metric: "mAP", value: 0.6 - floor / 2)
            try run.logResult(dataset: "colorful", split: "val", metric: "mAP", value: 0.55 - floor / 3)
            try run.logResult(dataset: "colorful", split: "val", metric: "Precision", value: 0.7 - floor / 4)
            try run.logResult(dataset: "colorful", split: "val", metric: "Recall", value: 0.6 - floor / 4)
            for (index, cls) in ["shirt", "pants", "shoes", "bag"].enumerated() {
                let sharpness = 1.5 + Double(index) - floor
                try run.logCurve(name: "PR@0.5", series: cls, points: (0...50).map { i in
                    let recall = Double(i) / 50
                    return (recall, max(0, 1 - pow(recall, sharpness * 2)))
                })
            }
            try run.finish()
            ids.append(run.id)
        }
        var report = try RunReport.build(log: log, ids: ids, title: "LookKit sample report")
        if let grid = try clothingGrid() {
            report.heading("Retrieval")
            report.grid(grid)
        }
        let html = report.html
        try html.write(to: folder.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)

        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2 + 3, "accuracy + loss charts, one PR chart per run")
        XCTAssertEqual(html.components(separatedBy: #"data-series="resnet18 #1""#).count - 1, 2)
        XCTAssert(html.contains("<th>Model</th><th>Index size</th><th>mAP</th>"))
        XCTAssert(html.contains("<th>Model</th><th>mAP</th><th>Precision</th><th>Recall</th>"))
    }

    /// Queries from the clothing photos: three of the top five share the query's class (correct).
    func clothingGrid() throws -> RetrievalGrid? {
        let root = SharedData.path("clothing-dataset-small/test")
        guard let classes = try? FileManager.default.contentsOfDirectory(atPath: root.path).sorted(), classes.count > 3 else {
            print("skipping retrieval grid: \(root.path) not found")
            return nil
        }
        func photos(_ cls: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(cls).path)) ?? [])
                .sorted().prefix(6).map { root.appendingPathComponent(cls).appendingPathComponent($0).path }
        }
        let rows = classes.prefix(4).enumerated().map { index, cls in
            let same = photos(cls), other = photos(classes[(index + 5) % classes.count])
            let results: [(path: String, correct: Bool)] = [
                (same[1], true), (same[2], true), (other[0], false), (same[3], true), (other[1], false),
            ]
            return RetrievalGrid.Row(query: same[0], results: results)
        }
        return RetrievalGrid(title: "Top-5 results (green: correct, red: wrong)", rows: rows)
    }
}
