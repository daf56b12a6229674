import Experiments
import Foundation

enum RunReportPage {
    /// The run's HTML report: curves and results from the log, then the task's figures.
    static func write(run: Run, figures: [ReportFigure], to file: URL) throws {
        var report = try RunReport.build(log: run.log, ids: [run.id])
        for figure in figures {
            switch figure {
            case .retrievalGrid(let grid): report.grid(grid)
            }
        }
        try Data(report.html.utf8).write(to: file)
    }
}
