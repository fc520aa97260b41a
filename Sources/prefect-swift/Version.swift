import ArgumentParser
import Foundation
import Logging
import PrefectClient
import PrefectServer

/// `prefect-swift version`: this SDK's versions and, for `PREFECT_API_URL`, the server's.
struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the client's versions and the server's health and version.")

    func run() async throws {
        let settings = try loadCLISettings()
        printRow("Version:", "\(PrefectAPI.clientVersion) (swift-prefect)")
        printRow("API version:", PrefectAPI.serverAPIVersion)
        printRow("Follows Prefect:", PrefectAPI.targetPrefectVersion)
        if let profile = settings.profileName {
            printRow("Profile:", profile)
        }
        try await withCLIClient(settings: settings) { client in try await report(client, settings: settings) }
    }

    private func report(_ client: PrefectClient, settings: PrefectSettings) async throws {
        printRow("Server type:", client.serverType.rawValue.lowercased())
        if client.serverType == .ephemeral {
            printRow("Database:", EmbeddedPrefect.defaultDatabasePath(settings: settings))
        } else {
            printRow("API URL:", client.apiURL)
        }
        if let error = await client.apiHealthcheck() {
            throw CommandFailure(Self.explain(error, apiURL: client.apiURL))
        }
        printRow("Server health:", "healthy")
        do {
            try await client.raiseForAPIVersionMismatch()
            printRow("Server version:", try await client.apiVersion())
        } catch {
            throw CommandFailure(Self.explain(error, apiURL: client.apiURL))
        }
    }

    private func printRow(_ label: String, _ value: String) {
        print(label.padding(toLength: 18, withPad: " ", startingAt: 0) + value)
    }

    /// One line saying what went wrong, never a secret.
    static func explain(_ error: any Error, apiURL: String) -> String {
        switch error {
        case let error as PrefectHTTPStatusError where error.statusCode == 401 || error.statusCode == 403:
            return "the Prefect API at \(apiURL) rejected the credentials (\(error.statusCode)); check PREFECT_API_KEY or PREFECT_API_AUTH_STRING"
        case let error as PrefectHTTPStatusError:
            return "the Prefect API at \(apiURL) answered \(error.statusCode): \(error)"
        case let error as PrefectTransportError:
            return "cannot reach the Prefect API at \(apiURL): \(error)"
        default:
            return "\(error)"
        }
    }
}

/// Ends the command with `error: <message>` on standard error and exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
