import Foundation
import GRDB
import PrefectSchemas

/// The flow runs holding slots of a work pool or queue (Pending, Running or Cancelling), for
/// the `concurrency_status` routes (Prefect's `get_work_pool_slot_holders` and
/// `get_work_queue_slot_holders`, `models/workers.py`).
enum SlotHolders {
    private static let occupying = "flow_run.state_type IN ('PENDING', 'RUNNING', 'CANCELLING')"
    private static let columns = "flow_run.id, flow_run.name, flow_run.state_type, flow_run.state_name, flow_run.start_time, flow_run.state_timestamp"

    /// The pool's holders per queue of one page of its queues (at most `flowRunLimit` runs each).
    static func poolStatus(_ db: Database, pool: WorkPool, page: Page, flowRunLimit: Int, now: Date) throws -> WorkPoolConcurrencyStatus {
        let queues = try WorkQueueStore.filter(db, poolID: pool.id, nil, page: page)
        let total = try WorkQueueStore.count(db, poolID: pool.id)
        let active = try Int.fetchOne(
            db, sql: """
                SELECT COUNT(*) FROM flow_run JOIN work_queue ON flow_run.work_queue_id = work_queue.id
                WHERE work_queue.work_pool_id = ? AND \(occupying)
                """,
            arguments: [pool.id.prefectString]) ?? 0
        let details = try queues.map { queue in
            let count = try holderCount(db, queueID: queue.id)
            return WorkQueueConcurrencyStatusDetail(
                queueID: queue.id, queueName: queue.name, activeSlots: count, concurrencyLimit: queue.concurrencyLimit,
                flowRuns: try summaries(db, queueID: queue.id, page: Page(limit: flowRunLimit, offset: 0), now: now),
                flowRunCount: count)
        }
        return WorkPoolConcurrencyStatus(
            activeSlots: active, concurrencyLimit: pool.concurrencyLimit, queues: details, count: total, limit: page.limit,
            pages: pages(total, page.limit), page: page.offset / max(page.limit, 1) + 1)
    }

    /// One page of the queue's holders.
    static func queueStatus(_ db: Database, queue: WorkQueue, page: Page, now: Date) throws -> WorkQueueConcurrencyStatus {
        let total = try holderCount(db, queueID: queue.id)
        return WorkQueueConcurrencyStatus(
            activeSlots: total, concurrencyLimit: queue.concurrencyLimit,
            flowRuns: try summaries(db, queueID: queue.id, page: page, now: now), count: total, limit: page.limit,
            pages: pages(total, page.limit), page: page.offset / max(page.limit, 1) + 1)
    }

    private static func holderCount(_ db: Database, queueID: UUID) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM flow_run WHERE work_queue_id = ? AND \(occupying)", arguments: [queueID.prefectString]) ?? 0
    }

    private static func summaries(_ db: Database, queueID: UUID, page: Page, now: Date) throws -> [FlowRunSlotSummary] {
        try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM flow_run WHERE work_queue_id = ? AND \(occupying) ORDER BY flow_run.state_timestamp, flow_run.id \(page.sql)",
            arguments: [queueID.prefectString]
        ).compactMap { row in
            guard let text = row["id"] as String?, let id = UUID(uuidString: text), let name = row["name"] as String? else { return nil }
            let stateTimestamp = (row["state_timestamp"] as Int64?).map(StoredTime.date)
            return FlowRunSlotSummary(
                id: id, name: name, stateType: (row["state_type"] as String?).map(StateType.init(rawValue:)),
                stateName: row["state_name"], startTime: (row["start_time"] as Int64?).map(StoredTime.date),
                stateTimestamp: stateTimestamp, timeInCurrentState: stateTimestamp.map { now.timeIntervalSince($0) })
        }
    }

    private static func pages(_ total: Int, _ limit: Int) -> Int {
        limit > 0 ? (total + limit - 1) / limit : 0
    }
}
