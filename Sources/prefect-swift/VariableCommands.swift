import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-swift variable`: Prefect's `prefect variable`.
struct VariableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variable", abstract: "Manage variables.", subcommands: [List.self, Get.self, SetValue.self, Unset.self])

    /// `prefect-swift variable ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List variables.")

        @Option(help: "Maximum number of variables to list.")
        var limit = 100
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try output.validateInput()
            let variables = try await withCLIClient { client in try await client.readVariables(limit: limit) }
            if output.json { return try printJSON(variables) }
            var table = Table(
                title: "Variables",
                columns: [
                    .init(title: "Name", style: .blue),
                    .init(title: "Value", style: .green),
                    .init(title: "Created", truncatable: false),
                    .init(title: "Updated", truncatable: false),
                ])
            table.rows = variables.sorted { $0.name < $1.name }.map { variable in
                [variable.name, Self.text(variable.value), HumanTime.diff(variable.created), HumanTime.diff(variable.updated)]
            }
            print(table.render(on: Terminal.current))
        }

        static func text(_ value: JSONValue?) -> String {
            guard let value else { return "null" }
            return value.stringValue ?? value.jsonText
        }
    }

    /// `prefect-swift variable get NAME`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Get a variable's value.")

        @Argument(help: "The variable's name.")
        var name: String

        func run() async throws {
            let variable = try await withCLIClient { client in try await client.readVariableByName(name) }
            guard let variable else { throw CommandFailure("Variable '\(name)' not found.") }
            print(List.text(variable.value))
        }
    }

    /// `prefect-swift variable set NAME VALUE [--overwrite] [--tag T]…`.
    struct SetValue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a variable; JSON values are parsed.")

        @Argument(help: "The variable's name.")
        var name: String
        @Argument(help: "The value: JSON (3, true, [1, 2], {\"a\": 1}) or text.")
        var value: String
        @Flag(help: "Replace the value of an existing variable.")
        var overwrite = false
        @Option(help: "Tags of the variable (repeatable).")
        var tag: [String] = []

        func run() async throws {
            let parsed = (try? PrefectJSON.decode(JSONValue.self, from: Data(value.utf8))) ?? .string(value)
            let (name, overwrite, tags) = (self.name, self.overwrite, tag)
            try await withCLIClient { client in
                if try await client.readVariableByName(name) != nil {
                    guard overwrite else {
                        throw CommandFailure("Variable '\(name)' already exists. Use `--overwrite` to update it.")
                    }
                    try await client.updateVariable(VariableUpdate(name: name, value: parsed, tags: tags.isEmpty ? nil : tags))
                } else {
                    _ = try await client.createVariable(VariableCreate(name: name, value: parsed, tags: tags))
                }
            }
            print("Set variable '\(name)'.")
        }
    }

    /// `prefect-swift variable unset NAME`.
    struct Unset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unset (delete) a variable.")

        @Argument(help: "The variable's name.")
        var name: String

        func run() async throws {
            try await withCLIClient { client in
                try await mappingNotFound(to: "Variable '\(name)' not found.") {
                    try await client.deleteVariableByName(name)
                }
            }
            print("Unset variable '\(name)'.")
        }
    }
}
