import Foundation
import HTTPTypes
import PrefectClient
import PrefectServer
import Testing

/// `prefect-swift server start`'s protections: `--csrf-protection`, `--auth-string`, their
/// settings, and the warning for a server reachable from other machines without auth.
@Suite("Server options: CSRF protection, basic auth, bind address")
struct ServerOptionsTests {
    @Test("the settings give the options; a bad value names the setting; the secret stays out of descriptions")
    func settings() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("options-\(UUID().uuidString)").path
        let options = try PrefectServerOptions.load(environment: [
            "PREFECT_HOME": home, "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "true",
            "PREFECT_SERVER_CSRF_TOKEN_EXPIRATION": "120", "PREFECT_SERVER_API_AUTH_STRING": "admin:hunter2",
        ])
        #expect(options.csrfProtectionEnabled)
        #expect(options.csrfTokenExpiration == 120)
        #expect(options.authString == "admin:hunter2")
        #expect(!String(describing: options).contains("hunter2"))
        let defaults = try PrefectServerOptions.load(environment: ["PREFECT_HOME": home])
        #expect(!defaults.csrfProtectionEnabled && defaults.authString == nil && defaults.csrfTokenExpiration == 3600)
        #expect(throws: PrefectClientConfigurationError.self) {
            try PrefectServerOptions.load(environment: ["PREFECT_HOME": home, "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "maybe"])
        }
    }

    @Test("--csrf-protection and --auth-string: health stays open, the rest wants both, a client with both works")
    func protectedProcess() async throws {
        let folder = try ScratchFolder("prefect-options")
        defer { folder.remove() }
        let server = try await ServerProcess(database: folder.database, arguments: ["--csrf-protection", "--auth-string", "ops:pa55word"])
        defer { server.kill(SIGTERM) }
        #expect(!server.startupOutput.contains("Warning"), "loopback needs no warning")
        var settings = folder.settings(apiURL: server.apiURL)
        try await withPrefectClient(settings: settings) { client in
            #expect(await client.apiHealthcheck() == nil)
            let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.apiVersion() }
            #expect(error?.statusCode == 401)
        }
        settings.authString = "ops:pa55word"
        try await withPrefectClient(settings: settings) { client in
            let refused = try await client.http.send(.post, "/flows/", body: Data(#"{"name":"no-csrf"}"#.utf8), raiseOnError: false)
            #expect(refused.statusCode == 201 || refused.statusCode == 200, "the client fetched a token and sent it")
            #expect(await client.http.isCSRFSupportActive)
            _ = try await client.createFlowRun(flowName: "protected")
        }
    }

    @Test("binding an address other machines reach, without an auth string, prints a warning")
    func warnsWithoutAuth() async throws {
        let folder = try ScratchFolder("prefect-bind")
        defer { folder.remove() }
        let server = try await ServerProcess(database: folder.database, arguments: ["--host", "0.0.0.0"])
        defer { server.kill(SIGTERM) }
        #expect(server.startupOutput.contains("Warning: serving on 0.0.0.0 without an auth string"))
    }
}
