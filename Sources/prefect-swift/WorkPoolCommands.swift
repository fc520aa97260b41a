import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-swift work-pool`: Prefect's `prefect work-pool`.
struct WorkPoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work-pool", abstract: "Manage work pools.", subcommands: [List.self, Create.self, Delete.self])

    /// `prefect-swift work-pool ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List work pools.")

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try output.validateInput()
            let pools = try await withCLIClient { client in try await client.readWorkPools() }
            if output.json { return try printJSON(pools) }
            var table = Table(
                title: "Work Pools",
                columns: [
                    .init(title: "Name", style: .green),
                    .init(title: "Type", style: .magenta),
                    .init(title: "ID", style: .cyan, truncatable: false),
                    .init(title: "Concurrency Limit", style: .blue, truncatable: false),
                ])
            table.rows = pools.sorted { $0.name < $1.name }.map { pool in
                [pool.name + (pool.isPaused ? " (**)" : ""), pool.type, pool.id.prefectString, pool.concurrencyLimit.map(String.init) ?? "None"]
            }
            print(table.render(on: Terminal.current))
            if pools.contains(where: \.isPaused) { print("(**) denotes a paused pool") }
        }
    }

    /// `prefect-swift work-pool create NAME [--type T] [--paused] [--concurrency-limit N]`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new work pool.")

        @Argument(help: "The work pool's name.")
        var name: String
        @Option(help: "The infrastructure type of the pool.")
        var type = "process"
        @Flag(help: "Create the pool paused.")
        var paused = false
        @Option(help: "How many runs of the pool may run at once.")
        var concurrencyLimit: Int?
        @Flag(help: "Update the pool when one of that name exists.")
        var overwrite = false

        func validateInput() throws {
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw CommandFailure("the work pool needs a name") }
            if let concurrencyLimit, concurrencyLimit < 0 { throw CommandFailure("--concurrency-limit cannot be negative") }
        }

        func run() async throws {
            try validateInput()
            let pool = try await withCLIClient { client in
                do {
                    return try await client.createWorkPool(
                        WorkPoolCreate(name: name, type: type, isPaused: paused, concurrencyLimit: concurrencyLimit),
                        overwrite: overwrite)
                } catch is ObjectAlreadyExists {
                    throw CommandFailure("Work pool named '\(name)' already exists. Use --overwrite to update it.")
                }
            }
            print(overwrite ? "Updated work pool '\(pool.name)'" : "Created work pool '\(pool.name)'!")
        }
    }

    /// `prefect-swift work-pool delete NAME`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a work pool.")

        @Argument(help: "The work pool's name.")
        var name: String

        func run() async throws {
            try await withCLIClient { client in
                try await mappingNotFound(to: "Work pool '\(name)' does not exist.") {
                    try await client.deleteWorkPool(workPoolName: name)
                }
            }
            print("Deleted work pool '\(name)'")
        }
    }
}
