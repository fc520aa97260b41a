import Foundation
import PrefectClient
import PrefectTestSupport
import Testing

/// The events websocket against servers that never complete its handshake.
@Suite("Event socket handshakes")
struct EventSocketHandshakeTests {
    @Test("a server that takes the connection and never answers the upgrade fails the emit after the timeout, not never")
    func stalledUpgrade() async throws {
        let server = try await FaultInjectionServer.start { _, _ in .stall }
        let events = try PrefectEventsClient(apiURL: server.apiURL, reconnectionAttempts: 1, timeout: .seconds(1))
        let started = ContinuousClock.now
        await #expect(throws: EventSocketError.self) {
            try await events.emit(Event(event: "swift.stalled", resource: ["prefect.resource.id": "swift.stalled"]))
        }
        let waited = ContinuousClock.now - started
        #expect(waited < .seconds(10), "two tries of one second each, not \(waited)")
        #expect(await events.unconfirmedCount == 1, "the event is kept for the next connection")
        #expect(await events.abandon().count == 1, "and handed back when the socket is given up")
        await server.stop()
    }

    @Test("a server that answers the upgrade with a plain response refuses it at once")
    func refusedUpgrade() async throws {
        let server = try await FaultInjectionServer.start { _, _ in .json(404, #"{"detail":"Not Found"}"#) }
        let events = try PrefectEventsClient(apiURL: server.apiURL, reconnectionAttempts: 0, timeout: .seconds(5))
        await #expect(throws: EventSocketError.self) {
            try await events.emit(Event(event: "swift.refused", resource: ["prefect.resource.id": "swift.refused"]))
        }
        await server.stop()
    }
}
