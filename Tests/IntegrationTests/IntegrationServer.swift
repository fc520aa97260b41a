import Foundation
import PrefectClient
import PrefectTestSupport
import Testing

/// The servers `scripts/test.sh` starts, found through environment variables.
///
/// Outside CI a missing variable disables the tests that need it; under CI (`CI=true`) the
/// tests run and fail, so a CI run can never pass without the real server.
enum IntegrationServer {
    /// A stock Prefect 3.9.1 server (CSRF protection off, the default).
    static let plain = "PREFECT_TEST_API_URL"
    /// A server with `PREFECT_SERVER_CSRF_PROTECTION_ENABLED=true`.
    static let csrf = "PREFECT_TEST_CSRF_API_URL"
    /// A server with `PREFECT_SERVER_API_AUTH_STRING` set to `PREFECT_TEST_AUTH_STRING`.
    static let basicAuth = "PREFECT_TEST_AUTH_API_URL"
    /// A second stock Prefect 3.9.1 server for the runtime, CLI and fault-proxy suites, which
    /// load a server hard (the plain one when this is not set).
    static let runtime = "PREFECT_TEST_RUNTIME_API_URL"
    /// `prefect-swift server start` on a loopback port.
    static let swiftServer = "PREFECT_TEST_SWIFT_API_URL"
    /// Prefect 3.9.1 on PostgreSQL behind nginx (`scripts/prefect-ha.sh`).
    static let distributed = "PREFECT_TEST_DISTRIBUTED_API_URL"

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether tests that need `variable` should run.
    static func isConfigured(_ variable: String) -> Bool {
        isCI || ProcessInfo.processInfo.environment[variable] != nil
    }

    /// The URL of the stock server for the runtime suites: ``runtime``, else ``plain``.
    static func runtimeURL() throws -> URL {
        try url(ProcessInfo.processInfo.environment[runtime] != nil ? runtime : plain)
    }

    /// The API URL in `variable`.
    static func url(_ variable: String) throws -> URL {
        guard let text = ProcessInfo.processInfo.environment[variable], let url = URL(string: text) else {
            throw MissingServer(variable: variable)
        }
        return url
    }

    /// The basic-auth string of the auth server.
    static func authString() throws -> String {
        guard let text = ProcessInfo.processInfo.environment["PREFECT_TEST_AUTH_STRING"] else {
            throw MissingServer(variable: "PREFECT_TEST_AUTH_STRING")
        }
        return text
    }

    struct MissingServer: Error, CustomStringConvertible {
        let variable: String
        var description: String { "\(variable) is not set: run the tests through scripts/test.sh, which starts the Prefect servers" }
    }
}
