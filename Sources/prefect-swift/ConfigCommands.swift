import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-swift config`: Prefect's `prefect config`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "View the settings.", subcommands: [View.self])

    /// `prefect-swift config view`: each setting, where it comes from (env, profile, default),
    /// secrets masked.
    struct View: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the current settings and where each comes from.")

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try output.validateInput()
            let entries: [PrefectSettings.Entry]
            let profile: String?
            do {
                entries = try PrefectSettings.entries()
                profile = try PrefectSettings.load().profileName
            } catch {
                throw CommandFailure("\(error)")
            }
            if output.json {
                let rows: [JSONValue] = entries.map {
                    ["name": .string($0.name), "value": .string($0.value), "source": .string($0.origin.description)]
                }
                return try printJSON(["profile": JSONValue.string(profile ?? ""), "settings": .array(rows)])
            }
            let terminal = Terminal.current
            print(terminal.styled("PREFECT_PROFILE='\(profile ?? "")'", .bold))
            for entry in entries {
                let line = "\(entry.name)='\(entry.value)'"
                print("\(line) \(terminal.styled("(from \(entry.origin))", .grey))")
            }
        }
    }
}
