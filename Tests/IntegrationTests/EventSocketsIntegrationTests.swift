import Foundation
import PrefectClient
import PrefectTestSupport
import Synchronization
import Testing

@Suite("Event websockets on every networked server")
struct EventSocketsIntegrationTests {
    /// The servers with websockets: not the in-process transport.
    static var servers: [ServerUnderTest] { ServerUnderTest.available.filter { $0 != .embedded } }

    private func event(_ name: String, _ index: Int, occurred: Date = Date()) -> Event {
        Event(
            event: name, resource: ["prefect.resource.id": "swift.socket.\(index)"], occurred: occurred,
            payload: ["index": .int(Int64(index))])
    }

    @Test(
        "streamed events reach a subscriber in order, each once, after its backfill; checkpoints leave none unconfirmed",
        arguments: servers)
    func emitAndSubscribe(server: ServerUnderTest) async throws {
        let url = try IntegrationServer.url(for: server)
        let unique = UUID().uuidString.prefix(8).lowercased()
        let name = "swift.socket.\(unique).emitted"
        // A subscriber's first backfill starts a minute before it connects, as Prefect's does:
        // these occur two minutes ahead, so a slow machine cannot leave them out of it.
        let before = (0..<3).map { event(name, $0, occurred: Date().addingTimeInterval(120)) }
        let streamedCount = 40
        try await IntegrationServer.withClient(server) { client in
            try await client.emitEvents(before)
            var stored = try await client.readEvents(filter: EventFilter(event: .init(prefix: [name])))
            for _ in 0..<40 where stored.total < before.count {
                try await Task.sleep(for: .milliseconds(250))
                stored = try await client.readEvents(filter: EventFilter(event: .init(prefix: [name])))
            }
        }

        let subscriber = try PrefectEventSubscriber(apiURL: url, filter: EventFilter(event: .init(prefix: [name])))
        let total = before.count + streamedCount
        // The backfill comes after the server subscribed the socket to new events, so once it
        // is in, nothing emitted later can be missed (a stock server persists events a moment
        // after it streams them: one emitted before the subscription would be in neither).
        let (backfilled, backfillDone) = AsyncStream<Void>.makeStream()
        let collector = Task { () -> [UUID] in
            var ids: [UUID] = []
            for try await next in subscriber {
                ids.append(next.id)
                if ids.count == before.count { backfillDone.finish() }
                if ids.count == total { break }
            }
            backfillDone.finish()
            return ids
        }
        let deadline = Task {
            try await Task.sleep(for: .seconds(120))
            collector.cancel()
        }
        for await _ in backfilled {}
        // Made now, not when the test began: the subscription's window starts a minute before
        // it connected, and a loaded machine can take longer than that to get here.
        let streamed = (3..<(3 + streamedCount)).map { event(name, $0) }
        // No timed checkpoint: on a loaded machine 30 s can pass while these are sent, and a
        // timed flush would confirm the last four before the count below is read.
        let emitter = try PrefectEventsClient(apiURL: url, checkpointEvery: 10, checkpointInterval: .seconds(3600))
        for (index, item) in streamed.enumerated() {
            try await emitter.emit(item)
            if index % 10 == 4 { try await emitter.emit(event("swift.socket.\(unique).other", index)) }
        }
        #expect(await emitter.unconfirmedCount == 4, "44 sent; the checkpoints at 10, 20, 30 and 40 confirmed 40")
        try await emitter.close()
        #expect(await emitter.unconfirmedCount == 0)
        let seen = try await collector.value
        deadline.cancel()
        #expect(seen == (before + streamed).map(\.id), "the backfill first, then the stream, in order, none twice")
    }

    @Test(
        "a checkpoint asked for by a cancelled task ends at once instead of waiting forever; its events are confirmed later",
        arguments: servers)
    func cancelledCheckpoint(server: ServerUnderTest) async throws {
        let url = try IntegrationServer.url(for: server)
        let name = "swift.socket.\(UUID().uuidString.prefix(8).lowercased()).cancelled"
        let emitter = try PrefectEventsClient(apiURL: url, checkpointEvery: 1_000, checkpointInterval: .seconds(3600))
        // A cancelled task's timer fires at once: its pong wait must end too, whichever of the
        // two gets going first (the first version could leave the wait registered after the
        // timer's error, and the checkpoint never returned).
        for index in 0..<20 {
            try await emitter.emit(event(name, index))
            let returned = ReturnedFlag()
            // Unstructured, so a checkpoint that never returns fails the test instead of hanging it.
            Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try? await emitter.flush()
                returned.value.withLock { $0 = true }
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while !returned.value.withLock({ $0 }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let ended = returned.value.withLock { $0 }
            #expect(ended, "checkpoint \(index) returned")
            if !ended { break }
        }
        try await emitter.close()
        #expect(await emitter.unconfirmedCount == 0, "the events left unconfirmed went on the next connection")
    }

    @Test(
        "the server closing the websockets mid-stream loses nothing and doubles nothing, for the emitter and the subscriber",
        arguments: servers)
    func cutsMidStream(server: ServerUnderTest) async throws {
        let upstream = try IntegrationServer.url(for: server)
        let proxy = try await ConnectionCuttingProxy.start(upstream: upstream)
        let url = proxy.url(for: upstream)
        let unique = UUID().uuidString.prefix(8).lowercased()
        let name = "swift.socket.\(unique).cut"
        let sentCount = 200
        // A minute ahead: a slow machine cannot leave it out of the first backfill (which starts a
        // minute before the subscriber connects), and a reconnection's backfill, from a minute
        // before the newest event seen, still reaches back to every event sent after it.
        let marker = event("\(name).marker", -1, occurred: Date().addingTimeInterval(60))
        try await IntegrationServer.withClient(server) { client in
            try await client.emitEvents([marker])
            for _ in 0..<80 where try await client.readEvents(filter: EventFilter(id: [marker.id])).total == 0 {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        let subscriber = try PrefectEventSubscriber(apiURL: url, filter: EventFilter(event: .init(prefix: [name])))
        let (subscribed, subscribedDone) = AsyncStream<Void>.makeStream()
        let collector = Task { () -> [UUID] in
            var ids: [UUID] = []
            for try await next in subscriber {
                if next.id == marker.id {
                    subscribedDone.finish()
                    continue
                }
                ids.append(next.id)
                if Set(ids).count == sentCount { break }
            }
            subscribedDone.finish()
            return ids
        }
        let backfillDeadline = Task {
            try await Task.sleep(for: .seconds(120))
            collector.cancel()
        }
        for await _ in subscribed {}
        backfillDeadline.cancel()
        // Made now: the subscription's window starts a minute before it connected.
        let sent = (0..<sentCount).map { event(name, $0) }
        let emitter = try PrefectEventsClient(apiURL: url, checkpointEvery: 25)
        var cuts = 0
        for (index, item) in sent.enumerated() {
            try await emitter.emit(item)
            if index % 50 == 37 {
                cuts += proxy.cutAll()
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await emitter.close()
        let deadline = Task {
            try await Task.sleep(for: .seconds(server == .prefect ? 20 : 60))
            collector.cancel()
        }
        let seen = try await collector.value
        deadline.cancel()
        await proxy.stop()
        #expect(cuts >= 8, "each cut closed the emitter's and the subscriber's sockets (\(cuts) connections)")
        #expect(seen.count == Set(seen).count, "none twice")
        let missing = Set(sent.map(\.id)).subtracting(seen)
        // A stock server streams an event before it persists it, so one sent while the
        // subscriber was reconnecting is in neither its stream nor its backfill: Prefect's own
        // subscriber misses those too. The embedded server stores before it streams.
        if server != .prefect {
            #expect(missing.isEmpty, "\(missing.count) of \(sent.count) events never reached the subscriber")
        }

        try await IntegrationServer.withClient(server) { client in
            let mine = EventFilter(event: .init(name: [name]))
            var stored = try await client.readEvents(filter: mine)
            for _ in 0..<60 where stored.total < sent.count {
                try await Task.sleep(for: .milliseconds(500))
                stored = try await client.readEvents(filter: mine)
            }
            #expect(stored.total == sent.count, "each event stored once")
        }
    }

    @Test(
        "a wrong auth string is refused in the handshake, as a typed error without the secret",
        arguments: ProtectedServer.available(IntegrationServer.basicAuth))
    func wrongToken(server: ProtectedServer) async throws {
        try await server.withURL(IntegrationServer.basicAuth) { url, _ in
            let emitter = try PrefectEventsClient(apiURL: url, authString: "admin:wrong-s3cret", reconnectionAttempts: 0)
            let error = await #expect(throws: EventSocketError.self) {
                try await emitter.emit(event("swift.socket.refused", 0))
            }
            if server == .prefect, error == .timedOut || error.map({ if case .closed(code: .none, _) = $0 { true } else { false } }) == true {
                // Known flake of the stock server under CI's load (stop 22, and stop 23's local
                // run, the test taking 60–95 s): its close frame with "Invalid token" never
                // reached the client — the connection simply ended, or the server answered
                // nothing within the 30 s timeout. The refusal is still a typed error; ours
                // always sends the reason (checked below for the embedded server).
            } else {
                #expect(error == .authenticationFailed(reason: "Invalid token"))
            }
            #expect(!"\(String(describing: error))".contains("wrong-s3cret"))
        }
    }
}

/// Set once a call returned, read by a test that must not wait on the call itself.
private final class ReturnedFlag: Sendable {
    let value = Mutex(false)
}
