@testable import PrefectClient
import Synchronization
import Testing

/// The ping bookkeeping of the events websocket: a pong read before its caller waits, a wait
/// that is ended by a timeout or a cancellation, and a socket that closes never leave a caller
/// suspended.
@Suite("Event socket pings")
struct PendingPingsTests {
    /// The pings of one socket, shared as the socket's reader and callers share them.
    final class Pings: Sendable {
        let state = Mutex(PendingPings())

        func wait(_ data: UInt64) async throws {
            try await withCheckedThrowingContinuation { continuation in
                if let ended = state.withLock({ $0.wait(data, with: continuation) }) { continuation.resume(with: ended) }
            }
        }
    }

    struct Closed: Error {}

    @Test("a pong read before the caller waits is kept for it")
    func pongBeforeWait() async throws {
        let pings = Pings()
        pings.state.withLock { $0.register(1) }
        #expect(pings.state.withLock { $0.answer(1) }.isEmpty, "nobody waits yet")
        try await pings.wait(1)
    }

    @Test("a pong answers its ping and every earlier one; one for no registered ping is ignored; a close ends the rest")
    func pongAnswersEarlierOnes() async throws {
        let pings = Pings()
        pings.state.withLock {
            $0.register(1)
            $0.register(2)
            $0.register(3)
        }
        #expect(pings.state.withLock { $0.answer(7) }.isEmpty)
        #expect(pings.state.withLock { $0.answer(2) }.isEmpty, "nobody waits yet")
        try await pings.wait(1)
        try await pings.wait(2)
        let third = Task { try await pings.wait(3) }
        // Whether or not the task waits yet, the close ends its ping.
        for continuation in pings.state.withLock({ $0.failAll(with: Closed()) }) { continuation.resume(throwing: Closed()) }
        await #expect(throws: Closed.self) { try await third.value }
    }

    @Test("a wait that was ended (a timeout, a cancellation) or forgotten returns at once")
    func endedWaits() async throws {
        let pings = Pings()
        pings.state.withLock {
            $0.register(1)
            $0.register(2)
        }
        #expect(pings.state.withLock { $0.fail(1, with: Closed()) } == nil, "nobody waited")
        await #expect(throws: Closed.self) { try await pings.wait(1) }
        pings.state.withLock { $0.forget(2) }
        await #expect(throws: CancellationError.self) { try await pings.wait(2) }
        await #expect(throws: CancellationError.self) { try await pings.wait(9) }
    }
}
