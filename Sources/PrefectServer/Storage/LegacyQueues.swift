import Foundation
import GRDB
import HTTPTypes
import PrefectSchemas

/// What the legacy `/work_queues` routes do beyond the pool queues (Prefect's
/// `models/work_queues.py`).
enum LegacyQueues {
    /// `create_work_queue`: the queue goes to the default agent pool, which is made on first
    /// use (and whose own "default" queue a create named "default" then returns).
    static func create(_ db: Database, _ create: WorkQueueCreate, now: Date) throws -> WorkQueue {
        let poolID: UUID
        if let pool = try WorkPoolStore.read(db, name: WorkPoolStore.defaultAgentPoolName) {
            poolID = pool.id
        } else {
            let pool = try WorkPoolStore.create(
                db, WorkPoolCreate(name: WorkPoolStore.defaultAgentPoolName, type: "prefect-agent"), now: now)
            if create.name == "default", let id = pool.defaultQueueID, let queue = try WorkQueueStore.read(db, id: id) {
                return queue
            }
            poolID = pool.id
        }
        let taken = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM work_queue WHERE work_pool_id = ? AND name = ?)",
            arguments: [poolID.prefectString, create.name]) ?? false
        guard !taken else { throw APIError.detail(.conflict, "A work queue with this name already exists.") }
        return try WorkQueueStore.create(db, poolID: poolID, create, now: now)
    }

    /// `ensure_work_queue_exists`: the queue found by its legacy name, else a new one of
    /// priority 1 in the default agent pool.
    static func ensure(_ db: Database, name: String, now: Date) throws -> WorkQueue {
        if let queue = try WorkQueueStore.read(db, legacyName: name) { return queue }
        return try create(db, WorkQueueCreate(name: name, description: "", priority: 1), now: now)
    }

    /// `read_work_queue_status`: healthy with no Late runs and a poll within 60 s
    /// (`WorkQueueHealthPolicy(maximum_late_runs=0, maximum_seconds_since_last_polled=60)`).
    static func status(_ db: Database, _ queue: WorkQueue, now: Date) throws -> WorkQueueStatusDetail {
        let late = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM flow_run WHERE work_queue_id = ? AND state_name = 'Late'",
            arguments: [queue.id.prefectString]) ?? 0
        let policy = WorkQueueHealthPolicy(maximumLateRuns: 0, maximumSecondsSinceLastPolled: 60)
        let polledRecently = queue.lastPolled.map { now.timeIntervalSince($0) <= 60 } ?? false
        return WorkQueueStatusDetail(
            healthy: late <= 0 && polledRecently, lateRunsCount: late, lastPolled: queue.lastPolled, healthCheckPolicy: policy)
    }
}
