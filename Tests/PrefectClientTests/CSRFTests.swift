import Foundation
import HTTPTypes
import PrefectClient
import PrefectSchemas
import PrefectTestSupport
import Synchronization
import Testing

/// A server that issues CSRF tokens like Prefect's and checks them on state-changing requests.
private final class CSRFServerState: Sendable {
    let issued = Mutex<[String]>([])
    let rejectFirstToken: Bool
    let lifetime: TimeInterval

    init(rejectFirstToken: Bool = false, lifetime: TimeInterval = 3600) {
        self.rejectFirstToken = rejectFirstToken
        self.lifetime = lifetime
    }

    func handle(_ request: FaultInjectionServer.Request) -> FaultInjectionServer.Action {
        if request.path == "/api/csrf-token" {
            let client = request.uri.components(separatedBy: "client=").last ?? ""
            let token = "token-\(issued.withLock { $0.count })"
            issued.withLock { $0.append(token) }
            let expiration = PrefectDate.format(Date().addingTimeInterval(lifetime))
            return .json(200, #"{"token":"\#(token)","client":"\#(client)","expiration":"\#(expiration)"}"#)
        }
        guard ["POST", "PUT", "PATCH", "DELETE"].contains(request.method) else { return .json(200, "true") }
        let valid = issued.withLock { tokens -> Bool in
            guard let sent = request.header("Prefect-Csrf-Token"), let newest = tokens.last else { return false }
            return sent == newest && !(rejectFirstToken && sent == "token-0")
        }
        guard valid, request.header("Prefect-Csrf-Client") != nil else {
            return .json(403, #"{"detail":"Invalid CSRF token or client identifier."}"#)
        }
        return .json(201, #"{"created":true}"#)
    }
}

@Suite("CSRF tokens")
struct CSRFTests {
    @Test("a token is fetched once, sent on POST, PATCH and DELETE, and not on GET", arguments: TransportKind.allCases)
    func tokenLifecycle(transport: TransportKind) async throws {
        let state = CSRFServerState()
        try await FaultInjectionServer.with(handler: { request, _ in state.handle(request) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, sleeper in
                _ = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                _ = try await client.send(.patch, "/flows/1", body: Data("{}".utf8))
                _ = try await client.send(.delete, "/flows/1")
                _ = try await client.get("/flows/1")
                let paths = server.requests.map { "\($0.method) \($0.path)" }
                #expect(paths == ["GET /api/csrf-token", "POST /api/flows/", "PATCH /api/flows/1", "DELETE /api/flows/1", "GET /api/flows/1"])
                let clientIDs = Set(server.requests.dropFirst().prefix(3).compactMap { $0.header("Prefect-Csrf-Client") })
                #expect(clientIDs.count == 1)
                #expect(server.requests.last?.header("Prefect-Csrf-Token") == nil)
                #expect(sleeper.delays.isEmpty)
            }
        }
    }

    @Test("a stale token rejected with 403 is replaced and the request sent again", arguments: TransportKind.allCases)
    func staleTokenRefreshed(transport: TransportKind) async throws {
        let state = CSRFServerState(rejectFirstToken: true)
        try await FaultInjectionServer.with(handler: { request, _ in state.handle(request) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, sleeper in
                let response = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                #expect(response.statusCode == 201)
                let sent = server.requests.map { "\($0.method) \($0.path) \($0.header("Prefect-Csrf-Token") ?? "-")" }
                #expect(sent == [
                    "GET /api/csrf-token -", "POST /api/flows/ token-0", "GET /api/csrf-token -", "POST /api/flows/ token-1",
                ])
                #expect(sleeper.delays.isEmpty)
            }
        }
    }

    @Test("concurrent requests share one token fetch", arguments: TransportKind.allCases)
    func singleFlight(transport: TransportKind) async throws {
        let state = CSRFServerState()
        try await FaultInjectionServer.with(handler: { request, _ in
            if request.path == "/api/csrf-token" { try? await Task.sleep(for: .milliseconds(100)) }
            return state.handle(request)
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await client.send(.post, "/flows/", body: Data("{}".utf8)).statusCode }
                    }
                    for try await status in group { #expect(status == 201) }
                }
                #expect(server.requests.filter { $0.path == "/api/csrf-token" }.count == 1)
            }
        }
    }

    @Test("a token about to expire is refreshed before use", arguments: TransportKind.allCases)
    func refreshBeforeExpiry(transport: TransportKind) async throws {
        let state = CSRFServerState(lifetime: 5)
        try await FaultInjectionServer.with(handler: { request, _ in state.handle(request) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                _ = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                _ = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                #expect(server.requests.filter { $0.path == "/api/csrf-token" }.count == 2)
            }
        }
    }

    @Test(
        "a server without CSRF (404, or 422 'CSRF protection is disabled.') turns CSRF off",
        arguments: TransportKind.allCases, [
            (404, #"{"detail":"Not Found"}"#), (422, #"{"detail":"CSRF protection is disabled."}"#),
        ])
    func autoDisable(transport: TransportKind, answer: (status: Int, body: String)) async throws {
        let (status, body) = answer
        try await FaultInjectionServer.with(handler: { request, _ in
            request.path == "/api/csrf-token" ? .json(status, body) : .json(201, "{}")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                _ = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                _ = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                #expect(server.requests.filter { $0.path == "/api/csrf-token" }.count == 1)
                #expect(server.requests.allSatisfy { $0.header("Prefect-Csrf-Token") == nil })
                #expect(await client.isCSRFSupportActive == false)
            }
        }
    }

    @Test("any other token-endpoint failure is raised", arguments: TransportKind.allCases)
    func tokenEndpointFailure(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { request, _ in
            request.path == "/api/csrf-token" ? .json(500, #"{"detail":"boom"}"#) : .json(201, "{}")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, _ in
                let error = await #expect(throws: PrefectHTTPStatusError.self) {
                    try await client.send(.post, "/flows/", body: Data("{}".utf8))
                }
                #expect(error?.statusCode == 500)
                #expect(error?.url.hasSuffix("/api/csrf-token?client=\(server.requests[0].uri.components(separatedBy: "client=").last ?? "")") == true)
            }
        }
    }
}
