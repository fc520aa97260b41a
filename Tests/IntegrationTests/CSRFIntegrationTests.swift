import Foundation
import HTTPTypes
import PrefectClient
import PrefectTestSupport
import Testing

@Suite("CSRF against Prefect 3.9.1")
struct CSRFIntegrationTests {
    /// A client over a real transport whose requests are counted.
    private func withRecordingClient<Result>(
        _ variable: String, csrf: Bool = true,
        _ body: (PrefectHTTPClient, RecordingTransport) async throws -> Result
    ) async throws -> Result {
        let transport = RecordingTransport(wrapping: AsyncHTTPClientTransport())
        do {
            let client = try PrefectHTTPClient(
                configuration: .init(apiURL: try IntegrationServer.url(variable), csrfSupportEnabled: csrf),
                transport: transport)
            let result = try await body(client, transport)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    private func flowBody(_ prefix: String) -> Data {
        Data(#"{"name":"\#(prefix)-\#(UUID().uuidString.lowercased())"}"#.utf8)
    }

    @Test(
        "with CSRF protection on, a POST without a token is refused; ours pass sharing one token",
        .enabled(if: IntegrationServer.isConfigured(IntegrationServer.csrf)))
    func csrfProtectedServer() async throws {
        try await withRecordingClient(IntegrationServer.csrf, csrf: false) { client, _ in
            let refused = try await client.send(.post, "/flows/", body: flowBody("no-token"), raiseOnError: false)
            #expect(refused.statusCode == 403)
            #expect(refused.text.contains("CSRF"))
        }
        try await withRecordingClient(IntegrationServer.csrf) { client, transport in
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
        .enabled(if: IntegrationServer.isConfigured(IntegrationServer.plain)))
    func csrfAutoDisable() async throws {
        try await withRecordingClient(IntegrationServer.plain) { client, transport in
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
