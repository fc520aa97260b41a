import Foundation
import PrefectClient
import PrefectServer
import PrefectTestKit

/// The servers with CSRF protection or basic auth on: the real Prefect server `scripts/test.sh`
/// starts with the option, and the embedded server on loopback with the same option.
enum ProtectedServer: String, Sendable, CaseIterable, CustomStringConvertible {
    case prefect
    case embedded

    var description: String { self == .prefect ? "Prefect 3.9.1" : "embedded, on loopback" }

    /// The servers this run has: the embedded one always, Prefect's when its URL is set.
    static func available(_ variable: String) -> [ProtectedServer] {
        allCases.filter { $0 == .embedded || IntegrationServer.isConfigured(variable) }
    }

    /// The embedded server's basic-auth credentials.
    static let embeddedAuthString = "swift-admin:embedded-s3cret"

    /// Runs `body` with the API URL of a server protected as `variable` says (``IntegrationServer/csrf``
    /// or ``IntegrationServer/basicAuth``), and the auth string it wants, if any.
    func withURL<Result: Sendable>(_ variable: String, _ body: (URL, String?) async throws -> Result) async throws -> Result {
        switch self {
        case .prefect:
            let authString = variable == IntegrationServer.basicAuth ? try IntegrationServer.authString() : nil
            return try await body(try IntegrationServer.url(variable), authString)
        case .embedded:
            let csrf = variable == IntegrationServer.csrf
            let authString = variable == IntegrationServer.basicAuth ? Self.embeddedAuthString : nil
            let options = PrefectServerOptions(csrfProtectionEnabled: csrf, authString: authString)
            return try await withPrefectTestServer(.loopback, options: options) { client in
                guard let url = URL(string: client.apiURL) else { throw PrefectArgumentError(argument: "apiURL", message: "not a URL: \(client.apiURL)") }
                return try await body(url, authString)
            }
        }
    }
}
