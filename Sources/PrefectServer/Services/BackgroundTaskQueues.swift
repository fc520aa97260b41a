import Foundation
import Synchronization

/// The background task runs waiting for a task worker, by task key (Prefect's in-memory
/// `TaskQueue` and `MultiQueue`, `prefect/server/task_queue.py`): a scheduled lane, and a retry
/// lane served first. Like Prefect's, the queues live in the server's memory only: runs
/// scheduled before a restart stay Scheduled in the database and are not delivered.
final class BackgroundTaskQueues: Sendable {
    enum Lane: Sendable {
        case scheduled, retry
    }

    /// A task run as the subscribers receive it.
    struct Entry: Sendable {
        let taskKey: String
        /// The run's JSON (`TaskRun.model_dump(mode="json")`).
        let body: Data
    }

    /// A run to queue once the write that scheduled it has committed.
    struct Delivery: Sendable {
        let entry: Entry
        let lane: Lane
    }

    /// Queues the delivery, if any (false when its lane is full).
    @discardableResult
    func put(_ delivery: Delivery?) -> Bool {
        guard let delivery else { return true }
        return put(delivery.entry, lane: delivery.lane)
    }

    /// `PREFECT_TASK_SCHEDULING_MAX_SCHEDULED_QUEUE_SIZE` and `…_MAX_RETRY_QUEUE_SIZE`. Prefect's
    /// request waits for room in a full queue; here the run is not queued and stays Scheduled.
    static let scheduledCapacity = 1000
    static let retryCapacity = 100

    private struct KeyQueues {
        var scheduled: [Entry] = []
        var retry: [Entry] = []
    }

    private let queues = Mutex<[String: KeyQueues]>([:])

    /// Queues the run; false when its lane is full.
    @discardableResult
    func put(_ entry: Entry, lane: Lane) -> Bool {
        queues.withLock { queues in
            var queue = queues[entry.taskKey] ?? KeyQueues()
            switch lane {
            case .scheduled:
                guard queue.scheduled.count < Self.scheduledCapacity else { return false }
                queue.scheduled.append(entry)
            case .retry:
                guard queue.retry.count < Self.retryCapacity else { return false }
                queue.retry.append(entry)
            }
            queues[entry.taskKey] = queue
            return true
        }
    }

    /// The next run of any of `keys` (the retry lanes first, keys in order), without waiting.
    func take(keys: [String]) -> Entry? {
        queues.withLock { queues in
            for key in keys {
                guard var queue = queues[key] else { continue }
                let entry: Entry
                if !queue.retry.isEmpty {
                    entry = queue.retry.removeFirst()
                } else if !queue.scheduled.isEmpty {
                    entry = queue.scheduled.removeFirst()
                } else {
                    continue
                }
                queues[key] = queue
                return entry
            }
            return nil
        }
    }

    /// The next run of any of `keys`, waiting up to `timeout` (polling as Prefect's
    /// `MultiQueue.get` does); nil when none came.
    func next(keys: [String], timeout: Duration) async throws -> Entry? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let entry = take(keys: keys) { return entry }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
