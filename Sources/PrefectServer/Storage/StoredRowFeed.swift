import Foundation
import PrefectSchemas
import Synchronization

/// The ids of rows just stored (events, logs), for the websocket subscribers that stream them
/// (Prefect's `server/events/stream.py` and `server/logs/stream.py` distributors). Each
/// subscriber keeps at most ``backlog`` ids waiting; later ones are dropped while it is that
/// far behind, as Prefect drops them (`SUBSCRIPTION_BACKLOG`).
final class StoredRowFeed: Sendable {
    /// `SUBSCRIPTION_BACKLOG`.
    static let backlog = 256

    private let subscribers = Mutex<[UUID: AsyncStream<UUID>.Continuation]>([:])
    /// Services woken by every commit that stored rows, without their ids.
    private let doorbells = Mutex<[Doorbell]>([])

    /// The ids published from now on, until the stream is dropped or its task cancelled.
    func subscribe() -> AsyncStream<UUID> {
        let (stream, continuation) = AsyncStream<UUID>.makeStream(bufferingPolicy: .bufferingOldest(Self.backlog))
        let key = UUID.version4()
        subscribers.withLock { $0[key] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: key) }
        }
        return stream
    }

    /// Whether anyone listens for ids (when nobody does, stored rows need not be looked up).
    var hasSubscribers: Bool { subscribers.withLock { !$0.isEmpty } }

    /// Rings `doorbell` after every commit that stored rows, for as long as the feed lives.
    func wake(_ doorbell: Doorbell) {
        doorbells.withLock { $0.append(doorbell) }
    }

    /// Rings every doorbell.
    func ringDoorbells() {
        for doorbell in doorbells.withLock({ $0 }) { doorbell.ring() }
    }

    /// Hands the ids of newly stored rows to every subscriber.
    func publish(_ ids: [UUID]) {
        guard !ids.isEmpty else { return }
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current {
            for id in ids { continuation.yield(id) }
        }
    }
}
