import Foundation
import PrefectSchemas
import Synchronization

/// Prefect's worker-channel snapshot topic (`WORKER_CHANNEL_SNAPSHOT_TOPIC`,
/// `prefect/server/utilities/worker_channel.py`): the routes that change or delete a work pool
/// say so once their write has committed, and every open worker channel hears it and sends
/// its worker a fresh snapshot (or closes, when its pool is gone).
final class WorkerChannelHub: Sendable {
    /// `WorkerChannelSnapshotInvalidation`.
    struct Invalidation: Sendable {
        let poolID: UUID
        let reason: String
        var deleted = false
    }

    /// `WORK_POOL_FIELDS_THAT_TRIGGER_SNAPSHOTS`.
    static let snapshotFields: Set<String> = ["base_job_template", "concurrency_limit", "is_paused", "storage_configuration"]

    private let subscribers = Mutex<[UUID: AsyncStream<Invalidation>.Continuation]>([:])

    /// Every invalidation from now on, until the stream is dropped.
    func subscribe() -> AsyncStream<Invalidation> {
        let (stream, continuation) = AsyncStream<Invalidation>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let key = UUID.version4()
        subscribers.withLock { $0[key] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: key) }
        }
        return stream
    }

    func publish(_ invalidation: Invalidation) {
        for continuation in subscribers.withLock({ Array($0.values) }) {
            continuation.yield(invalidation)
        }
    }
}
