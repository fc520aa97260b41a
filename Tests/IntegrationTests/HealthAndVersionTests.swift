import Foundation
import PrefectClient
import Testing

@Suite("Health and version on every server")
struct HealthAndVersionTests {
    @Test("health, hello and version", arguments: ServerUnderTest.available)
    func healthHelloVersion(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let health = await client.apiHealthcheck()
            #expect(health == nil)
            let hello = try await client.hello()
            #expect(hello.statusCode == 200)
            #expect(try hello.decode(String.self) == "👋")
            #expect(try await client.apiVersion() == "3.9.1")
            try await client.raiseForAPIVersionMismatch()
            try await client.raiseForAPIVersionMismatchOnce()
            try await client.raiseForAPIVersionMismatchOnce()
        }
    }

    @Test("a missing object is a 404 with Prefect's detail", arguments: ServerUnderTest.available)
    func notFound(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let error = await #expect(throws: PrefectHTTPStatusError.self) {
                try await client.http.get("/flows/\(UUID().uuidString.lowercased())")
            }
            #expect(error?.statusCode == 404)
            #expect(error?.detail == "Flow not found")
            #expect(error?.description.hasPrefix("Client error '404 Not Found' for url '") == true)
        }
    }

    @Test("healthcheck reports an unreachable server as an error instead of throwing")
    func unreachable() async throws {
        var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
        settings.apiURL = URL(string: "http://127.0.0.1:9/api")
        try await withPrefectClient(settings: settings) { client in
            let error = await client.apiHealthcheck()
            #expect((error as? PrefectTransportError)?.kind == .connect)
        }
    }
}
