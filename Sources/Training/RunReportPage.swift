import Experiments
import Foundation
import LookKitCore

enum RunReportPage {
    /// The run's HTML report: curves and results from the log, then the task's figures.
    static func write(run: Run, figures: [ReportFigure], to file: URL) throws {
        var report = try RunReport.build(log: run.log, ids: [run.id])
        for figure in figures {
            switch figure {
            case .retrievalGrid(let grid): report.grid(grid)
            case let .table(table, caption): report.table(table, caption: caption)
            case let .pictures(title, pictures): report.pictures(title, pictures)
            }
        }
        try report.html.write(toPath: file.path)
    }
}
