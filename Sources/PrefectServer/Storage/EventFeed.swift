import Foundation
import Synchronization

/// The ids of events just stored, for the subscribers of `/events/out` (Prefect's
/// `server/events/stream.py` distributor). Each subscriber keeps at most
/// ``backlog`` ids waiting; later ones are dropped while it is that far behind, as Prefect drops
/// them (`SUBSCRIPTION_BACKLOG`).
final class EventFeed: Sendable {
    /// `SUBSCRIPTION_BACKLOG`.
    static let backlog = 256

    private let subscribers = Mutex<[UUID: AsyncStream<UUID>.Continuation]>([:])

    /// The ids published from now on, until the stream is dropped or its task cancelled.
    func subscribe() -> AsyncStream<UUID> {
        let (stream, continuation) = AsyncStream<UUID>.makeStream(bufferingPolicy: .bufferingOldest(Self.backlog))
        let key = UUID()
        subscribers.withLock { $0[key] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: key) }
        }
        return stream
    }

    /// Hands the ids of newly stored events to every subscriber.
    func publish(_ ids: [UUID]) {
        guard !ids.isEmpty else { return }
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current {
            for id in ids { continuation.yield(id) }
        }
    }
}
