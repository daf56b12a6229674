import ArgumentParser
import Datasets
import Foundation
import LookKitCore

/// `lookkit data …`: dataset tools.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect, validate and compose datasets.", subcommands: [Check.self, Boards.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode every image and validate every label row of a dataset.",
            discussion: """
                Prints images and boxes per split and class (items per category for outfits) and every \
                problem as file:line: reason. Formats: folder (<split>/<class>/<image> or <class>/<image>), \
                csv (clothing labels.csv or Myntra styles.csv), yolo (data.yaml or a folder with images/, \
                labels/, classes.txt), stl (fashion-cat.json / fashion.json or their folder), ctl (TSV), \
                outfits (MANGO folder or Polyvore outfits JSON). \
                Exit codes: 0 clean, 1 problems found, 2 unusable arguments.
                """)

        @Argument(help: "Dataset file or folder.") var path: String
        @Option(help: "One of \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: String?
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            guard let format, let kind = CheckFormat(rawValue: format) else {
                FileHandle.standardError.write(Foundation.Data("error: --format must be one of \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
                throw ExitCode(2)
            }
            let progress = SharedProgress(label: "decoding")
            let report: CheckReport
            do {
                report = try DatasetCheck.run(URL(fileURLWithPath: path), format: kind, progress: progress.update)
            } catch let error as CheckUsageError {
                FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.text)
            }
            if !report.problems.isEmpty { throw ExitCode(1) }
        }
    }
}
