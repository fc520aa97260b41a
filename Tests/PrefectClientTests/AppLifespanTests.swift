import Foundation
import PrefectClient
import Synchronization
import Testing

/// What the lifespan did to its app, recorded from inside startup, shutdown and the users.
private final class LifespanLedger: Sendable {
    struct Counts {
        var startups = 0
        var shutdowns = 0
        var inUse = 0
        var shutdownWhileInUse = 0
        var usedWhileStopped = 0
        var running = false
    }

    let counts = Mutex(Counts())

    func started() -> Int {
        counts.withLock {
            $0.startups += 1
            $0.running = true
            return $0.startups
        }
    }

    func stopped() {
        counts.withLock {
            $0.shutdowns += 1
            if $0.inUse > 0 { $0.shutdownWhileInUse += 1 }
            $0.running = false
        }
    }

    func use() {
        counts.withLock {
            $0.inUse += 1
            if !$0.running { $0.usedWhileStopped += 1 }
        }
    }

    func release() { counts.withLock { $0.inUse -= 1 } }
}

private struct StartupFailed: Error {}

@Suite("AppLifespan")
struct AppLifespanTests {
    @Test("200 concurrent users with random delays and cancellations: one startup, one shutdown, never under a user")
    func concurrentUsers() async throws {
        let ledger = LifespanLedger()
        let lifespan = AppLifespan<Int>(
            startup: {
                try? await Task.sleep(for: .milliseconds(20))
                return ledger.started()
            },
            shutdown: { _ in
                try? await Task.sleep(for: .milliseconds(5))
                ledger.stopped()
            })
        // One user holds the app until every other user is done, so exactly one lifetime is
        // expected however slowly the others are scheduled.
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let (entered, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await lifespan.withApp { _ in
                ledger.use()
                enteredContinuation.yield()
                for await _ in release { break }
                ledger.release()
            }
        }
        for await _ in entered { break }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let user = Task {
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...20_000)))
                    try await lifespan.withApp { app in
                        #expect(app == 1)
                        ledger.use()
                        try? await Task.sleep(for: .microseconds(Int.random(in: 0...5_000)))
                        ledger.release()
                    }
                }
                if index % 3 == 0 {
                    group.addTask {
                        try? await Task.sleep(for: .microseconds(Int.random(in: 0...25_000)))
                        user.cancel()
                    }
                }
                group.addTask { _ = await user.result }
            }
        }
        releaseContinuation.yield()
        try await holder.value
        let counts = ledger.counts.withLock { $0 }
        #expect(counts.startups == 1)
        #expect(counts.shutdowns == 1)
        #expect(counts.shutdownWhileInUse == 0)
        #expect(counts.usedWhileStopped == 0)
        #expect(counts.inUse == 0)
        #expect(await lifespan.users == 0)
        #expect(await lifespan.isRunning == false)
    }

    @Test("users who come after the last one left start a new lifetime")
    func restartsAfterShutdown() async throws {
        let ledger = LifespanLedger()
        let lifespan = AppLifespan<Int>(startup: { ledger.started() }, shutdown: { _ in ledger.stopped() })
        for round in 1...3 {
            let app = try await lifespan.withApp { $0 }
            #expect(app == round)
        }
        let counts = ledger.counts.withLock { $0 }
        #expect(counts.startups == 3)
        #expect(counts.shutdowns == 3)
    }

    @Test("a failing startup reaches every waiter and leaves the lifespan idle")
    func failingStartup() async throws {
        let attempts = Mutex(0)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let lifespan = AppLifespan<Int>(
            startup: {
                let attempt = attempts.withLock { $0 += 1; return $0 }
                if attempt == 1 {
                    for await _ in release { break }
                    throw StartupFailed()
                }
                return attempt
            },
            shutdown: { _ in })
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await lifespan.withApp { $0 }
                        return false
                    } catch {
                        return error is StartupFailed
                    }
                }
            }
            // Fail the startup only once all 50 users wait for it.
            while await lifespan.users < 50 { try? await Task.sleep(for: .milliseconds(1)) }
            releaseContinuation.yield()
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 50)
        #expect(attempts.withLock { $0 } == 1, "one startup for all waiters")
        #expect(await lifespan.users == 0)
        #expect(try await lifespan.withApp { $0 } == 2, "a later user starts again")
    }

    @Test("a user cancelled during startup leaves, and the app it started is shut down")
    func cancelledDuringStartup() async throws {
        let ledger = LifespanLedger()
        let (begun, begunContinuation) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let lifespan = AppLifespan<Int>(
            startup: {
                begunContinuation.yield()
                for await _ in release { break }
                return ledger.started()
            },
            shutdown: { _ in ledger.stopped() })
        let user = Task { try await lifespan.withApp { _ in Issue.record("the body of a cancelled user ran") } }
        for await _ in begun { break }
        user.cancel()
        releaseContinuation.yield()
        await #expect(throws: CancellationError.self) { try await user.value }
        let counts = ledger.counts.withLock { $0 }
        #expect(counts.startups == 1)
        #expect(counts.shutdowns == 1)
        #expect(await lifespan.isRunning == false)
    }
}
