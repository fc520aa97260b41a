import Foundation
import PrefectClient
import PrefectTestSupport
import Testing

/// The client over `https` and `wss`, through a TLS-terminating proxy with a test CA in front
/// of each networked server, as a load balancer with a private CA in front of Prefect.
@Suite("TLS: https and wss through a terminating proxy on every networked server")
struct TLSIntegrationTests {
    static var servers: [ServerUnderTest] { EventSocketsIntegrationTests.servers }

    /// Runs `body` with the `https` URL of a TLS proxy in front of `server` and a file with the
    /// test CA; stops the proxy and removes the file afterwards.
    private func withTLSProxy(_ server: ServerUnderTest, _ body: (_ url: URL, _ caFile: String) async throws -> Void) async throws {
        let upstream = try IntegrationServer.url(for: server)
        let proxy = try await ConnectionCuttingProxy.start(upstream: upstream, servingTLS: true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swift-prefect-ca-\(UUID().uuidString).pem")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(TestCertificates.authority.utf8).write(to: file)
            var components = URLComponents(url: proxy.url(for: upstream), resolvingAgainstBaseURL: false)
            components?.scheme = "https"
            guard let url = components?.url else { throw PrefectArgumentError(argument: "upstream", message: "has no https URL") }
            try await body(url, file.path)
        } catch {
            await proxy.stop()
            throw error
        }
        await proxy.stop()
    }

    private func settings(_ url: URL, caFile: String? = nil, skipVerify: Bool = false) -> PrefectSettings {
        var settings = PrefectSettings()
        settings.apiURL = url
        settings.sslCertFile = caFile
        settings.tlsInsecureSkipVerify = skipVerify
        settings.maxRetries = 0
        return settings
    }

    @Test(
        "with the CA in PREFECT_API_SSL_CERT_FILE, REST, the events client of PrefectClient and the subscriber all work",
        arguments: servers)
    func trustedAuthority(server: ServerUnderTest) async throws {
        try await withTLSProxy(server) { url, caFile in
            let settings = settings(url, caFile: caFile)
            let client = try PrefectClient(settings: settings)
            let name = "swift.tls.\(UUID().uuidString.prefix(8).lowercased())"
            do {
                let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("tls"))
                #expect(try await client.readFlow(flowID: flowID).id == flowID)

                let emitter = try #require(try client.eventsClient())
                let event = Event(event: name, resource: ["prefect.resource.id": "swift.tls"])
                try await emitter.emit(event)
                try await emitter.close()
                #expect(await emitter.unconfirmedCount == 0)

                var stored = try await client.readEvents(filter: EventFilter(event: .init(prefix: [name])))
                for _ in 0..<40 where stored.total == 0 {
                    try await Task.sleep(for: .milliseconds(250))
                    stored = try await client.readEvents(filter: EventFilter(event: .init(prefix: [name])))
                }
                #expect(stored.events.map(\.id) == [event.id])

                let subscriber = try PrefectEventSubscriber(settings: settings, filter: EventFilter(event: .init(prefix: [name])))
                let first = Task { () -> UUID? in
                    for try await received in subscriber { return received.id }
                    return nil
                }
                let deadline = Task {
                    try await Task.sleep(for: .seconds(30))
                    first.cancel()
                }
                #expect(try await first.value == event.id, "the backfill over wss has the event")
                deadline.cancel()
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test(
        "a certificate from an authority the client does not trust is refused by REST and the websocket; skipping verification accepts it",
        arguments: servers)
    func untrustedAuthority(server: ServerUnderTest) async throws {
        try await withTLSProxy(server) { url, _ in
            let untrusting = try PrefectClient(settings: settings(url))
            let skipping = try PrefectClient(settings: settings(url, skipVerify: true))
            do {
                let healthFailure = await untrusting.apiHealthcheck()
                #expect(healthFailure is PrefectTransportError, "\(String(describing: healthFailure))")
                let refusedEmitter = try PrefectEventsClient(apiURL: url, reconnectionAttempts: 0)
                let refusal = await #expect(throws: (any Error).self) {
                    try await refusedEmitter.emit(Event(event: "swift.tls.refused", resource: ["prefect.resource.id": "swift.tls"]))
                }
                #expect(refusal is EventSocketError, "a typed error: \(String(describing: refusal))")
                #expect(refusal.map { "\($0)".uppercased().contains("CERTIFICATE") } == true, "it names the certificate: \(String(describing: refusal))")

                let skippedHealth = await skipping.apiHealthcheck()
                #expect(skippedHealth == nil, "\(String(describing: skippedHealth))")
                let skippingEmitter = try #require(try skipping.eventsClient())
                try await skippingEmitter.emit(Event(event: "swift.tls.skipped", resource: ["prefect.resource.id": "swift.tls"]))
                try await skippingEmitter.close()
            } catch {
                try? await untrusting.shutdown()
                try? await skipping.shutdown()
                throw error
            }
            try await untrusting.shutdown()
            try await skipping.shutdown()
        }
    }
}
