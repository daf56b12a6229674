import ArgumentParser
import Evaluation
import Experiments
import Foundation
import LookKitCore

/// `lookkit report ID… --html out.html`: one self-contained HTML page for one or more runs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write an HTML report (tables, training and PR curves, retrieval grid) for runs.",
        discussion: ErrorCategory.exitCodeTable)

    @OptionGroup var database: RunDatabaseOption
    @Argument(help: "Run ids; several runs are overlaid in the curves.") var ids: [Int64]
    @Option(help: "Output HTML file.") var html: String
    @Option(help: "Ranking CSV (query_id,rank,item_id,correct) whose ids are image paths, for a retrieval grid.")
    var retrieval: String?
    @Option(help: "Folder the image paths in --retrieval are relative to.") var images: String?
    @Option(help: "Results shown per query in the grid.") var topK = 5
    @Option(help: "Queries shown in the grid.") var queries = 8

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give at least one run id") }
        guard topK > 0, queries > 0 else { throw ValidationError("--top-k and --queries must be positive") }
    }

    func run() throws {
        try OutputFile.checkWritable(html)
        var report = try RunReport.build(log: try database.open(), ids: ids)
        if let retrieval {
            let root = URL(fileURLWithPath: images ?? ".")
            func path(_ id: String) -> String { id.hasPrefix("/") ? id : root.appendingPathComponent(id).path }
            let rows = try RankingCSV.read(URL(fileURLWithPath: retrieval)).prefix(queries).map { query in
                RetrievalGrid.Row(query: path(query.id),
                                  results: zip(query.items, query.list.correct).prefix(topK).map { (path($0), $1) })
            }
            report.heading("Retrieval")
            report.grid(RetrievalGrid(title: "Top-\(topK) results (green: correct, red: wrong)", rows: Array(rows)))
        }
        try report.html.write(toPath: html)
        print("wrote \(html)")
    }
}
