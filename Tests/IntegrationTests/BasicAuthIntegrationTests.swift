import Foundation
import HTTPTypes
import PrefectClient
import Testing

@Suite("Basic auth against Prefect 3.9.1 and the embedded server")
struct BasicAuthIntegrationTests {
    private func settings(_ url: URL, authString: String?) -> PrefectSettings {
        var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
        settings.apiURL = url
        settings.authString = authString
        return settings
    }

    @Test("the right auth string is accepted", arguments: ProtectedServer.available(IntegrationServer.basicAuth))
    func rightCredentials(server: ProtectedServer) async throws {
        try await server.withURL(IntegrationServer.basicAuth) { url, authString in
            try await withPrefectClient(settings: settings(url, authString: authString)) { client in
                #expect(try await client.apiVersion() == "3.9.1")
                let created = try await client.http.send(.post, "/flows/", json: ["name": "auth-\(UUID())"])
                #expect(created.json?["id"] != nil)
            }
        }
    }

    @Test(
        "a wrong or missing auth string is a typed 401 that does not show the secret",
        arguments: ProtectedServer.available(IntegrationServer.basicAuth), ["admin:wrong-s3cret", nil])
    func wrongCredentials(server: ProtectedServer, authString: String?) async throws {
        try await server.withURL(IntegrationServer.basicAuth) { url, real in
            try await rejected(url, authString: authString, real: real ?? "")
        }
    }

    private func rejected(_ url: URL, authString: String?, real: String) async throws {
        try await withPrefectClient(settings: settings(url, authString: authString)) { client in
            #expect(await client.apiHealthcheck() == nil, "health stays open without auth, as in Prefect")
            let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.apiVersion() }
            #expect(error?.statusCode == 401)
            #expect(error?.body?["exception_message"] == "Unauthorized")
            let text = String(describing: error) + String(reflecting: error)
            #expect(!text.contains("wrong-s3cret"))
            #expect(!text.contains(Data("admin:wrong-s3cret".utf8).base64EncodedString()))
            #expect(!text.contains(real))
        }
    }
}
