import ArgumentParser
import Foundation
import Logging
import PrefectClient
import PrefectServer

/// Runs `body` with the client for the current settings — `PREFECT_API_URL`, or the embedded
/// server on `$PREFECT_HOME/prefect-swift.db` when it is not set — and turns every failure
/// into one line (``CommandFailure``) that never holds a secret.
func withCLIClient<Result: Sendable>(_ body: (PrefectClient) async throws -> Result) async throws -> Result {
    try await withCLIClient(settings: try loadCLISettings(), body)
}

/// The settings of the environment and the active profile; a bad one is a ``CommandFailure``.
func loadCLISettings() throws -> PrefectSettings {
    do {
        return try PrefectSettings.load()
    } catch {
        throw CommandFailure("\(error)")
    }
}

/// ``withCLIClient(_:)`` for settings the command already read.
func withCLIClient<Result: Sendable>(
    settings: PrefectSettings, _ body: (PrefectClient) async throws -> Result
) async throws -> Result {
    var logger = Logger(label: "prefect.cli")
    logger.logLevel = .error
    let client: PrefectClient
    do {
        client = try await PrefectClient.forSettings(settings, logger: logger)
    } catch {
        throw CommandFailure("\(error)")
    }
    do {
        let result = try await body(client)
        try? await client.shutdown()
        return result
    } catch let failure as CommandFailure {
        try? await client.shutdown()
        throw failure
    } catch let exit as ExitCode {
        try? await client.shutdown()
        throw exit
    } catch let error as PrefectHTTPStatusError
        where client.serverType == .ephemeral && error.statusCode == 404 && error.detail == "Not Found"
    {
        try? await client.shutdown()
        let path = URL(string: error.url)?.path ?? error.url
        throw CommandFailure(
            "the embedded Prefect server does not serve \(error.method) \(path) yet; set PREFECT_API_URL to use a Prefect server")
    } catch {
        try? await client.shutdown()
        throw CommandFailure(Version.explain(error, apiURL: client.apiURL))
    }
}

/// `--output json`, as Prefect's CLI offers it.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Output format: json (default: a table).")
    var output: String?

    var json: Bool { output?.lowercased() == "json" }

    func validateInput() throws {
        if let output, output.lowercased() != "json" {
            throw CommandFailure("Only 'json' output format is supported.")
        }
    }
}

/// Prints `value` as indented JSON with sorted keys (Prefect's `model_dump(mode="json")`).
func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs `body`; an ``ObjectNotFound`` from it becomes `message`, as Prefect's CLI words it.
func mappingNotFound<Result>(to message: String, _ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch is ObjectNotFound {
        throw CommandFailure(message)
    }
}

/// Parses a UUID argument.
func parseID(_ text: String, what: String) throws -> UUID {
    guard let id = UUID(uuidString: text) else { throw CommandFailure("'\(text)' is not a valid \(what) id (a UUID)") }
    return id
}
