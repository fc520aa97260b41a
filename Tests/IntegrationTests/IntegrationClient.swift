import Foundation
import PrefectClient
import PrefectTestKit
import Testing

/// A Prefect-compatible server the shared suites run against; every such test runs once per
/// server, with the same assertions, so a divergence from Prefect 3.9.1 is a failing test.
enum ServerUnderTest: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// The real Prefect 3.9.1 server `scripts/test.sh` starts.
    case prefect
    /// The embedded server, in-process, on a fresh database per test (`PrefectTestKit`).
    case embedded
    /// `prefect-swift server start` on loopback, started by `scripts/test.sh`.
    case swiftServer
    /// Prefect 3.9.1 as a team runs it (`scripts/prefect-ha.sh`): PostgreSQL, Redis, two API
    /// replicas behind nginx and a services process — for the runtime, serve and worker suites.
    case distributed

    var testDescription: String {
        switch self {
        case .prefect: "Prefect 3.9.1"
        case .embedded: "embedded, in-process"
        case .swiftServer: "prefect-swift server start"
        case .distributed: "Prefect 3.9.1 on PostgreSQL, two replicas"
        }
    }

    /// The servers this run can reach: the three under CI (a missing one fails), otherwise
    /// the embedded server plus those whose URLs are set.
    static var available: [ServerUnderTest] {
        allCases.filter { server in
            switch server {
            case .prefect: IntegrationServer.isConfigured(IntegrationServer.plain)
            case .embedded: true
            case .swiftServer: IntegrationServer.isConfigured(IntegrationServer.swiftServer)
            case .distributed: false
            }
        }
    }

    /// ``available`` and, under CI or when its URL is set, the distributed Prefect: the
    /// servers of the runtime, serve and worker suites.
    static var withDistributed: [ServerUnderTest] {
        available + (IntegrationServer.isConfigured(IntegrationServer.distributed) ? [.distributed] : [])
    }
}

extension IntegrationServer {
    /// Runs `body` with a client for the real Prefect server, shut down afterwards.
    static func withClient<Result: Sendable>(_ body: (PrefectClient) async throws -> Result) async throws -> Result {
        try await withClient(.prefect, body)
    }

    /// Runs `body` with a client for `server`, shut down afterwards.
    ///
    /// - Parameter forRuntime: for the runtime suites: the stock server is ``runtime``'s, and
    ///   the client retries 8 times (the stock server answers 503 under load).
    static func withClient<Result: Sendable>(
        _ server: ServerUnderTest, forRuntime: Bool = false, _ body: (PrefectClient) async throws -> Result
    ) async throws -> Result {
        switch server {
        case .embedded:
            return try await withPrefectTestServer(.inProcess, body)
        case .prefect, .swiftServer, .distributed:
            var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
            settings.apiURL = try url(for: server, forRuntime: forRuntime)
            if forRuntime { settings.maxRetries = 8 }
            return try await withPrefectClient(settings: settings, body)
        }
    }

    /// The URL of a network server of the suites.
    static func url(for server: ServerUnderTest, forRuntime: Bool = false) throws -> URL {
        switch server {
        case .prefect: try forRuntime ? runtimeURL() : url(plain)
        case .swiftServer, .embedded: try url(swiftServer)
        case .distributed: try url(distributed)
        }
    }

    /// A name no other test run uses.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
