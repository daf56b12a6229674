import ArgumentParser

@main
struct LookKit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookkit",
        abstract: "Train, evaluate and serve visual fashion recommenders.",
        subcommands: [
            DemoCommand.self,
            TrainCommand.self,
            DataCommand.self,
            RunsCommand.self,
            ReportCommand.self,
            EvalCommand.self,
            EmbedCommand.self,
            IndexCommand.self,
        ]
    )
}
