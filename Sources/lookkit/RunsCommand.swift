import ArgumentParser
import Evaluation
import Experiments
import Foundation
import LookKitCore

/// `lookkit runs …`: browse, compare and export the SQLite run log.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List, inspect, compare and export logged runs.",
        discussion: ErrorCategory.exitCodeTable,
        subcommands: [List.self, Show.self, Compare.self, Export.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per run.")
        @OptionGroup var database: RunDatabaseOption

        func run() throws {
            let log = try database.open()
            let rows = try log.runs().map { run in
                [String(run.id), run.name, run.kind, run.status.rawValue, run.device ?? "—",
                 Self.date(run.startedAt), run.endedAt.map { Self.duration($0.timeIntervalSince(run.startedAt)) } ?? "—",
                 String(try log.results(run: run.id).count)]
            }
            print(MarkdownTable(headers: ["id", "name", "kind", "status", "device", "started", "duration", "results"], rows: rows).markdown)
        }

        static func date(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            return formatter.string(from: date)
        }

        static func duration(_ seconds: Double) -> String {
            let s = Int(seconds.rounded())
            return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything logged for one run.")
        @OptionGroup var database: RunDatabaseOption
        @Argument(help: "Run id.") var id: Int64

        func run() throws {
            let log = try database.open()
            let comparison = try RunComparison(log: log, ids: [id])
            let run = comparison.runs[0]
            print("run \(run.id): \(run.name) (\(run.kind)), \(run.status.rawValue)")
            print("started \(List.date(run.startedAt))" + (run.endedAt.map { ", ended \(List.date($0))" } ?? ""))
            print("\n" + comparison.configTable.markdown + "\n")
            print(comparison.resultsTable.markdown)
            let artifacts = try log.artifacts(run: id)
            if !artifacts.isEmpty {
                print("\n" + MarkdownTable(headers: ["kind", "path", "bytes", "sha256"],
                                           rows: artifacts.map { [$0.kind, $0.path, String($0.size), $0.sha256] }).markdown)
            }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Config differences and final metrics side by side.")
        @OptionGroup var database: RunDatabaseOption
        @Argument(help: "Two or more run ids.") var ids: [Int64]

        func validate() throws {
            guard ids.count >= 2 else { throw ValidationError("compare needs at least two run ids") }
        }

        func run() throws {
            let comparison = try RunComparison(log: try database.open(), ids: ids)
            print(comparison.configTable.markdown + "\n")
            print(comparison.resultsTable.markdown)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a run's per-step metrics (or final results) as CSV.")
        @OptionGroup var database: RunDatabaseOption
        @Argument(help: "Run id.") var id: Int64
        @Flag(help: "CSV output (the only format so far; required so scripts stay valid when more arrive).") var csv = false
        @Flag(help: "Export final evaluation results instead of per-step metrics.") var results = false
        @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?

        func validate() throws {
            guard csv else { throw ValidationError("choose an output format: --csv") }
        }

        func run() throws {
            if let output { try OutputFile.checkWritable(output) }
            let log = try database.open()
            let text = results ? RunExport.resultsCSV(try log.results(run: id)) : RunExport.metricsCSV(try log.metrics(run: id))
            if let output {
                try text.write(toPath: output)
            } else {
                print(text, terminator: "")
            }
        }
    }
}

/// `--db PATH`, shared by every command that reads the run log.
struct RunDatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "Run log (SQLite).") var path = RunLog.defaultPath

    /// Opens an existing log read-only; a missing, unreadable or foreign file is an error, not a new empty log.
    func open() throws -> RunLog { try RunLog(path: path, readOnly: true) }

    /// Opens an existing log to add results to its runs.
    func openForLogging() throws -> RunLog { try RunLog(path: path, create: false) }
}
