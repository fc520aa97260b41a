import Foundation
import HTTPTypes
import PrefectClient
import PrefectTestSupport
import Testing

@Suite("CSRF against Prefect 3.9.1 and the embedded server")
struct CSRFIntegrationTests {
    /// A client over a real transport whose requests are counted.
    private func withRecordingClient<Result>(
        _ url: URL, csrf: Bool = true,
        _ body: (PrefectHTTPClient, RecordingTransport) async throws -> Result
    ) async throws -> Result {
        let transport = RecordingTransport(wrapping: AsyncHTTPClientTransport())
        do {
            let client = try PrefectHTTPClient(
                configuration: .init(apiURL: url, csrfSupportEnabled: csrf),
                transport: transport)
            let result = try await body(client, transport)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    /// A `POST /flows/` with exactly these headers, past the client's CSRF handling.
    private func rawPost(_ url: URL, headers: [String: String]) async throws -> (status: Int, detail: String?) {
        let transport = AsyncHTTPClientTransport()
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let request = HTTPRequest(
            method: .post, scheme: url.scheme, authority: "\(url.host ?? "127.0.0.1"):\(url.port ?? 80)",
            path: url.path + "/flows/", headerFields: fields)
        let response: HTTPTransportResponse
        do {
            response = try await transport.send(request, body: flowBody("raw"))
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        let json = try? PrefectJSON.decode(JSONValue.self, from: response.body)
        return (response.head.status.code, json?["detail"]?.stringValue)
    }

    private func flowBody(_ prefix: String) -> Data {
        Data(#"{"name":"\#(prefix)-\#(UUID().uuidString.lowercased())"}"#.utf8)
    }

    @Test(
        "with CSRF protection on, a POST without a token is refused; ours pass sharing one token",
        arguments: ProtectedServer.available(IntegrationServer.csrf))
    func csrfProtectedServer(server: ProtectedServer) async throws {
        try await server.withURL(IntegrationServer.csrf) { url, _ in try await csrfProtected(url) }
    }

    private func csrfProtected(_ url: URL) async throws {
        try await withRecordingClient(url, csrf: false) { client, _ in
            let refused = try await client.send(.post, "/flows/", body: flowBody("no-token"), raiseOnError: false)
            #expect(refused.statusCode == 403)
            #expect(refused.json?["detail"] == "Missing CSRF token.")
            #expect(try await client.send(.get, "/flows/filter", raiseOnError: false).statusCode != 403, "reads need no token")
        }
        let forged = try await rawPost(url, headers: ["Prefect-Csrf-Token": "forged", "Prefect-Csrf-Client": "nobody"])
        #expect(forged.status == 403)
        #expect(forged.detail == "Invalid CSRF token or client identifier.")
        #expect(try await rawPost(url, headers: ["Prefect-Csrf-Token": "forged"]).detail == "Missing client identifier.")
        try await withRecordingClient(url) { client, transport in
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let response = try await client.send(.post, "/flows/", body: flowBody("csrf"))
                        return response.json?["id"]?.stringValue
                    }
                }
                var ids: Set<String> = []
                for try await id in group { if let id { ids.insert(id) } }
                return ids
            }
            #expect(ids.count == 50)
            #expect(transport.requests.filter { $0.contains("/csrf-token") }.count == 1)
            #expect(await client.isCSRFSupportActive)
        }
    }

    @Test(
        "against a server without CSRF protection, the client turns CSRF off after one probe",
        arguments: ServerUnderTest.available.filter { $0 != .embedded })
    func csrfAutoDisable(server: ServerUnderTest) async throws {
        try await withRecordingClient(try IntegrationServer.url(for: server)) { client, transport in
            for _ in 0..<3 {
                let response = try await client.send(.post, "/flows/", body: flowBody("no-csrf"))
                #expect(response.statusCode == 201 || response.statusCode == 200)
            }
            #expect(await client.isCSRFSupportActive == false)
            let paths = transport.requests.map { $0.split(separator: "?")[0] }
            #expect(paths.filter { $0.hasSuffix("/csrf-token") }.count == 1)
            #expect(paths.filter { $0.hasSuffix("/flows/") }.count == 3)
        }
    }
}
