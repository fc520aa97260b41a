import Foundation
import HTTPTypes
import PrefectClient
import Testing

@Suite("Basic auth against Prefect 3.9.1", .enabled(if: IntegrationServer.isConfigured(IntegrationServer.basicAuth)))
struct BasicAuthIntegrationTests {
    private func settings(authString: String?) throws -> PrefectSettings {
        var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
        settings.apiURL = try IntegrationServer.url(IntegrationServer.basicAuth)
        settings.authString = authString
        return settings
    }

    @Test("the right auth string is accepted")
    func rightCredentials() async throws {
        try await withPrefectClient(settings: try settings(authString: try IntegrationServer.authString())) { client in
            #expect(try await client.apiVersion() == "3.9.1")
            let created = try await client.http.send(.post, "/flows/", json: ["name": "auth-\(UUID())"])
            #expect(created.json?["id"] != nil)
        }
    }

    @Test("a wrong or missing auth string is a typed 401 that does not show the secret", arguments: ["admin:wrong-s3cret", nil])
    func wrongCredentials(authString: String?) async throws {
        try await withPrefectClient(settings: try settings(authString: authString)) { client in
            #expect(await client.apiHealthcheck() == nil, "health stays open without auth, as in Prefect")
            let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.apiVersion() }
            #expect(error?.statusCode == 401)
            #expect(error?.body?["exception_message"] == "Unauthorized")
            let text = String(describing: error) + String(reflecting: error)
            #expect(!text.contains("wrong-s3cret"))
            #expect(!text.contains(Data("admin:wrong-s3cret".utf8).base64EncodedString()))
            let real = try IntegrationServer.authString()
            #expect(!text.contains(real))
        }
    }
}
