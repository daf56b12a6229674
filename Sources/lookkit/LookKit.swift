import ArgumentParser
import Foundation
import Torch
import LookKitCore

@main
struct LookKit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookkit",
        abstract: "Train, evaluate and serve visual fashion recommenders.",
        discussion: ErrorCategory.exitCodeTable,
        subcommands: [
            DemoCommand.self,
            TrainCommand.self,
            ValCommand.self,
            DetectCommand.self,
            DataCommand.self,
            RunsCommand.self,
            ReportCommand.self,
            EvalCommand.self,
            EmbedCommand.self,
            RankCommand.self,
            ExportCommand.self,
            IndexCommand.self,
            CatalogCommand.self,
            RecommendCommand.self,
            ServeCommand.self,
            WeightsCommand.self,
        ]
    )

    /// Every command's errors end here: one line on stderr and the exit code of the error's
    /// category (`ErrorCategory.exitCodeTable`); usage errors keep ArgumentParser's code 64.
    static func main() {
        // Line by line even into a file, so a log of a run that is stopped or killed is not lost.
        setvbuf(stdout, nil, _IOLBF, 0)
        Torch.retainFreedMemory()  // every command is a batch job: reuse activation memory
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as any LookKitError {
            fail(error.description, code: error.category.exitCode)
        } catch let error as CocoaError {
            fail(error.localizedDescription, code: ErrorCategory.badInput.exitCode)
        } catch {
            exit(withError: error)
        }
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
