import ArgumentParser

/// `prefect-swift`: the command-line tool of swift-prefect.
@main
struct PrefectSwift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefect-swift",
        abstract: "Work with a Prefect server from Swift.",
        subcommands: [
            Version.self, Server.self, ConfigCommand.self, FlowCommand.self, FlowRunCommand.self, DeploymentCommand.self,
            WorkPoolCommand.self, VariableCommand.self, WorkerCommand.self,
        ]
    )
}
