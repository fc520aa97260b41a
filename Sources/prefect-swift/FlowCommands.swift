import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-swift flow`: Prefect's `prefect flow`.
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow", abstract: "View flows.", subcommands: [List.self])

    /// `prefect-swift flow ls`: the most recently created flows.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "View flows.")

        @Option(help: "Maximum number of flows to list.")
        var limit = 15
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try output.validateInput()
            let flows = try await withCLIClient { client in
                try await client.readFlows(sort: .createdDesc, limit: limit)
            }
            if output.json { return try printJSON(flows) }
            let terminal = Terminal.current
            var table = Table(
                title: "Flows",
                columns: [
                    .init(title: "ID", style: .cyan, rightAligned: true, truncatable: false),
                    .init(title: "Name", style: .green),
                    .init(title: "Created", style: .bold, truncatable: false),
                ])
            table.rows = flows.map { [$0.id.prefectString, $0.name, HumanTime.diff($0.created)] }
            print(table.render(on: terminal))
        }
    }
}
