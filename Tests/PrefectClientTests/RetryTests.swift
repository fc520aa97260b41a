import Foundation
import HTTPTypes
import PrefectClient
import PrefectTestSupport
import Testing

@Suite("Retries against the fault-injection server")
struct RetryTests {
    @Test("429 with Retry-After: 0 is retried at once", arguments: TransportKind.allCases)
    func retryAfterZero(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index == 0 ? .respond(status: 429, headers: [("Retry-After", "0")]) : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, jitterFactor: 0.2) { client, sleeper in
                let response = try await client.get("/health")
                #expect(response.statusCode == 200)
                #expect(server.requests.count == 2)
                #expect(sleeper.delays == [0])
            }
        }
    }

    @Test("429 with Retry-After: 1.5 waits at least 1.5 s, at most 20 % more", arguments: TransportKind.allCases)
    func retryAfterSeconds(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index < 2 ? .respond(status: 429, headers: [("Retry-After", "1.5")]) : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, jitterFactor: 0.2) { client, sleeper in
                _ = try await client.get("/health")
                #expect(server.requests.count == 3)
                #expect(sleeper.delays.count == 2)
                for delay in sleeper.delays {
                    #expect(delay >= 1.5 && delay <= 1.8)
                }
            }
        }
    }

    @Test("429 with an HTTP-date Retry-After waits until that time", arguments: TransportKind.allCases)
    func retryAfterHTTPDate(transport: TransportKind) async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let start = Date()
        let retryAt = formatter.string(from: start.addingTimeInterval(30))
        try await FaultInjectionServer.with(handler: { _, index in
            index == 0 ? .respond(status: 429, headers: [("Retry-After", retryAt)]) : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, jitterFactor: 0) { client, sleeper in
                _ = try await client.get("/health")
                #expect(server.requests.count == 2)
                let delay = try #require(sleeper.delays.first)
                // The date has whole seconds, and a loaded machine may take a while to answer:
                // the wait is what is left until that time.
                let elapsed = Date().timeIntervalSince(start)
                #expect(delay > 29 - elapsed - 1 && delay <= 30)
            }
        }
    }

    @Test("503 three times, then 200: exponential back-off 2, 4, 8 s", arguments: TransportKind.allCases)
    func serviceUnavailableThenSuccess(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index < 3 ? .json(503, #"{"detail":"database is locked"}"#) : .json(200, #"{"ok":true}"#)
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, sleeper in
                let response = try await client.get("/flows/x")
                #expect(response.json == ["ok": true])
                #expect(server.requests.count == 4)
                #expect(sleeper.delays == [2, 4, 8])
            }
        }
    }

    @Test("jittered back-off stays within Prefect's clamped interval", arguments: TransportKind.allCases)
    func jitteredBackoff(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index < 4 ? .json(503, "{}") : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, jitterFactor: 0.2) { client, sleeper in
                _ = try await client.get("/health")
                #expect(sleeper.delays.count == 4)
                for (index, delay) in sleeper.delays.enumerated() {
                    let base = pow(2, Double(index + 1))
                    #expect(delay > 0 && delay <= base * 1.2)
                }
            }
        }
    }

    @Test("502 and 408 are retried", arguments: TransportKind.allCases, [502, 408])
    func otherRetriedCodes(transport: TransportKind, status: Int) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index == 0 ? .json(status, "{}") : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, sleeper in
                _ = try await client.get("/health")
                #expect(server.requests.count == 2)
                #expect(sleeper.delays == [2])
            }
        }
    }

    @Test("extra status codes from PREFECT_CLIENT_RETRY_EXTRA_CODES are retried; others are not", arguments: TransportKind.allCases)
    func extraCodes(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index == 0 ? .json(404, #"{"detail":"Not found"}"#) : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, extraStatusCodes: [404]) { client, sleeper in
                _ = try await client.get("/health")
                #expect(server.requests.count == 2)
                #expect(sleeper.delays == [2])
            }
        }
    }

    @Test("503 on every attempt: 1 + maxRetries attempts, then the 503 is raised", arguments: TransportKind.allCases)
    func retriesExhausted(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .json(503, #"{"detail":"busy"}"#) }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, maxRetries: 3) { client, sleeper in
                let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.get("/health") }
                #expect(error?.statusCode == 503)
                #expect(error?.detail == "busy")
                #expect(server.requests.count == 4)
                #expect(sleeper.delays == [2, 4, 8])
            }
        }
    }

    @Test("responses marked Prefect-Maintenance do not use up attempts", arguments: TransportKind.allCases)
    func maintenanceBeyondLimit(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index < 8
                ? .json(503, #"{"detail":"maintenance"}"#, headers: [("Prefect-Maintenance", "true"), ("Retry-After", "0")])
                : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, maxRetries: 2) { client, sleeper in
                let response = try await client.get("/health")
                #expect(response.statusCode == 200)
                #expect(server.requests.count == 9)
                #expect(sleeper.delays == Array(repeating: 0, count: 8))
            }
        }
    }

    @Test("a connection closed mid-response is retried", arguments: TransportKind.allCases)
    func closedMidResponse(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index == 0 ? .closeMidResponse(announcedLength: 500, sentBody: #"{"partial":"#) : .json(200, #"{"whole":true}"#)
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL) { client, sleeper in
                let response = try await client.get("/flows/x")
                #expect(response.json == ["whole": true])
                #expect(server.requests.count == 2)
                #expect(sleeper.delays == [2])
            }
        }
    }

    @Test("a connection closed without a response is retried", arguments: TransportKind.allCases)
    func closedWithoutResponse(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, index in
            index == 0 ? .closeWithoutResponse : .json(200, "true")
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, csrfSupportEnabled: false) { client, sleeper in
                _ = try await client.send(.post, "/flows/", body: Data("{}".utf8))
                #expect(server.requests.count == 2)
                #expect(sleeper.delays == [2])
            }
        }
    }

    @Test("a stalled response times out, is retried, and the timeout is raised when attempts run out", arguments: TransportKind.allCases)
    func stalledResponse(transport: TransportKind) async throws {
        try await FaultInjectionServer.with(handler: { _, _ in .stall }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, maxRetries: 1, timeout: .milliseconds(300)) {
                client, sleeper in
                let error = await #expect(throws: PrefectTransportError.self) { try await client.get("/health") }
                #expect(error?.kind == .readTimeout)
                // The retried request was written before it timed out; on a loaded machine the
                // server may record it a moment after the client gave up.
                for _ in 0..<100 where server.requests.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
                #expect(server.requests.count == 2)
                #expect(sleeper.delays == [2])
            }
        }
    }

    @Test("a refused connection fails at once when the client has never connected", arguments: TransportKind.allCases)
    func refusedBeforeFirstConnection(transport: TransportKind) async throws {
        let refusing = try RefusingPort()
        try await TestClients.withHTTPClient(transport: transport, apiURL: refusing.apiURL) { client, sleeper in
            let error = await #expect(throws: PrefectTransportError.self) { try await client.get("/health") }
            #expect(error?.kind == .connect)
            #expect(sleeper.delays.isEmpty)
            #expect(!client.hasConnectedOnce)
        }
    }

    @Test("a refused connection is retried once the client has reached the server", arguments: TransportKind.allCases)
    func refusedAfterFirstConnection(transport: TransportKind) async throws {
        let server = try await FaultInjectionServer.start(handler: { _, _ in .json(200, "true") })
        let url = server.apiURL
        try await TestClients.withHTTPClient(transport: transport, apiURL: url, maxRetries: 2) { client, sleeper in
            _ = try await client.get("/health")
            #expect(client.hasConnectedOnce)
            await server.stop()
            // Held at once, so that no server started alongside takes the freed port.
            let refusing = try RefusingPort(port: server.port)
            let error = await #expect(throws: PrefectTransportError.self) { try await client.get("/health") }
            #expect(error?.kind == .connect)
            #expect(sleeper.delays == [2, 4])
            withExtendedLifetime(refusing) {}
        }
    }

    @Test("an HTML 502 page becomes a typed error that keeps the body", arguments: TransportKind.allCases)
    func htmlErrorPage(transport: TransportKind) async throws {
        let page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
        try await FaultInjectionServer.with(handler: { _, _ in
            .respond(status: 502, headers: [("Content-Type", "text/html")], body: page)
        }) { server in
            try await TestClients.withHTTPClient(transport: transport, apiURL: server.apiURL, maxRetries: 1) { client, _ in
                let error = await #expect(throws: PrefectHTTPStatusError.self) { try await client.get("/flows/") }
                #expect(error?.statusCode == 502)
                #expect(error?.detail == nil)
                #expect(error?.response.text == page)
                #expect(error?.description.hasPrefix("Server error '502 Bad Gateway' for url 'http://127.0.0.1:") == true)
                #expect(error?.description.contains("not JSON") == true)
                #expect(server.requests.count == 2)
            }
        }
    }
}
