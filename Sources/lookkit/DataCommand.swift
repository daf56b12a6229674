import ArgumentParser
import Datasets
import Foundation
import LookKitCore
import Training

/// `lookkit data …`: dataset tools.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect, validate and compose datasets.", subcommands: [Check.self, Boards.self, FITBQuestions.self])

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

    /// `lookkit data fitb`: a style run's validation questions as the JSONL `lookkit eval fitb` reads.
    struct FITBQuestions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fitb", abstract: "Write a style run's validation FITB questions (JSONL) for `lookkit eval fitb`.",
            discussion: """
                The questions a `task: style` run validates on (same held-out outfits, blanks, distractors and order), \
                so every row of the baselines table is scored on the same questions as training validates. \
                Prints the folder to pass as --images.
                """)
        @Option(help: "A style run config.") var config: String
        @Option(help: "Where to write the questions.") var out: String

        func run() throws {
            let config = try RunConfig.load(URL(fileURLWithPath: config))
            let questions = try StyleTask.validationQuestions(config)
            let images = try FITBFile.write(questions, to: URL(fileURLWithPath: out))
            FileHandle.standardError.write(Foundation.Data("\(counted(questions.count, "question")) written to \(out)\n".utf8))
            print(images.path)
        }
    }
}
