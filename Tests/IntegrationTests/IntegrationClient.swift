import Foundation
import PrefectClient

extension IntegrationServer {
    /// Runs `body` with a client for the server under test, shut down afterwards.
    ///
    /// The suite talks to its server only through this, so the same tests can run against
    /// any Prefect-compatible server (the real one today, the embedded one later).
    static func withClient<Result: Sendable>(_ body: (PrefectClient) async throws -> Result) async throws -> Result {
        var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
        settings.apiURL = try url(plain)
        return try await withPrefectClient(settings: settings, body)
    }

    /// A name no other test run uses.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
