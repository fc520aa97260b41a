import Foundation
import HTTPTypes
import PrefectClient
import PrefectTestSupport
import Testing

@Suite("Headers, errors and secrets")
struct HeadersAndErrorsTests {
    @Test("every request names the client, the API version and the credentials", arguments: TransportKind.allCases)
    func standardHeaders(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(200, "true") }) { server in
            try await TestClients.withHTTPClient(
                transport: transport, apiURL: server.apiURL, apiKey: "pnu_secret_key",
                customHeaders: ["X-Team": "data", "User-Agent": "evil", "prefect-csrf-token": "forged"]
            ) { client, _ in
                _ = try await client.get("/health")
                let request = try #require(server.requests.first)
                #expect(request.header("User-Agent") == "swift-prefect/\(PrefectAPI.clientVersion) (API 0.8.4)")
                #expect(request.header("X-PREFECT-API-VERSION") == "0.8.4")
                #expect(request.header("Authorization") == "Bearer pnu_secret_key")
                #expect(request.header("X-Team") == "data")
                #expect(request.header("Prefect-Csrf-Token") == nil)
                #expect(request.path == "/api/health")
            }
        }
    }

    @Test("a basic-auth string wins over an API key", arguments: TransportKind.allCases)
    func basicAuthWins(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(200, "true") }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, apiKey: "key", authString: "admin:pass") {
                client, _ in
                _ = try await client.get("/health")
                #expect(server.requests.first?.header("Authorization") == "Basic YWRtaW46cGFzcw==")
            }
        }
    }

    @Test("query items are percent-encoded", arguments: TransportKind.allCases)
    func queryEncoding(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(200, "true") }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                _ = try await client.get("/variables/name/x", query: [URLQueryItem(name: "q", value: "a b&c/é")])
                #expect(server.requests.first?.uri == "/api/variables/name/x?q=a%20b%26c%2F%C3%A9")
            }
        }
    }

    @Test("a 404 reads like Prefect's error and carries the detail", arguments: TransportKind.allCases)
    func notFoundMessage(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(404, #"{"detail":"Flow run not found"}"#) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, sleeper in
                let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.get("/flow_runs/abc") }
                #expect(error?.detail == "Flow run not found")
                #expect(
                    error?.description
                        == "Client error '404 Not Found' for url 'http://127.0.0.1:\(server.port)/api/flow_runs/abc' - Response: {\"detail\":\"Flow run not found\"} - For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404"
                )
                #expect(server.requests.count == 1)
                #expect(sleeper.delays.isEmpty)
            }
        }
    }

    @Test("a caller can opt out of raising", arguments: TransportKind.allCases)
    func optOutOfRaising(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(404, #"{"detail":"nope"}"#) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                let response = try await client.send(.get, "/flows/x", raiseOnError: false)
                #expect(response.statusCode == 404)
                #expect(response.json?["detail"] == "nope")
            }
        }
    }

    @Test("malformed JSON in a 2xx body is a typed decoding error that keeps the body", arguments: TransportKind.allCases)
    func malformedJSON(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(200, #"{"token": "abc", "#) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                let response = try await client.get("/admin/version")
                let error = #expect(throws: PrefectDecodingError.self) { try response.decode(String.self) }
                #expect(error?.response.text == #"{"token": "abc", "#)
                #expect(error?.description.contains("Could not decode String from GET") == true)
            }
        }
    }

    @Test("secrets never appear in errors or descriptions", arguments: TransportKind.allCases)
    func secretsStayHidden(transport: TransportKind) async throws {
        let key = "pnu_very_secret_0123456789"
        try await FaultInjectionServer.with(handler: { _, _ in .json(401, #"{"exception_message":"Unauthorized"}"#) }) { server in
            let url = URL(string: "http://admin:hunter2@127.0.0.1:\(server.port)/api")!
            try await TestClients.withHTTPClient(transport: transport, apiURL: url, apiKey: key, authString: "admin:hunter2") { client, _ in
                let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.get("/flows/") }
                let text = String(describing: error) + String(reflecting: error)
                #expect(!text.contains("hunter2"))
                #expect(!text.contains(key))
                #expect(!text.contains(Data("admin:hunter2".utf8).base64EncodedString()))
                #expect(!client.apiURL.contains("hunter2"))
            }
        }
        let configuration = PrefectHTTPClient.Configuration(
            apiURL: URL(string: "http://u:p4ss@h/api")!, apiKey: key, authString: "u:p4ss",
            customHeaders: ["Authorization": "Bearer other-secret"])
        #expect(!configuration.description.contains(key))
        #expect(!configuration.description.contains("p4ss"))
        #expect(!configuration.description.contains("other-secret"))
    }

    @Test("a URL that is not http(s) is rejected with a clear error")
    func badURL() throws {
        let transport = AsyncHTTPClientTransport()
        defer { Task { try? await transport.shutdown() } }
        let error = #expect(throws: PrefectClientConfigurationError.self) {
            try PrefectHTTPClient(configuration: .init(apiURL: URL(string: "ftp://example.com/api")!), transport: transport)
        }
        #expect(error?.setting == "PREFECT_API_URL")
    }
}
