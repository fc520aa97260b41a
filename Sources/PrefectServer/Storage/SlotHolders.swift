import Foundation
import GRDB
import PrefectSchemas

/// The flow runs holding slots of a work pool or queue (Pending, Running or Cancelling), for
/// the `concurrency_status` routes (Prefect's `get_work_pool_slot_holders` and
/// `get_work_queue_slot_holders`, `models/workers.py`).
enum SlotHolders {
    private static let columns = "flow_run.id, flow_run.name, flow_run.state_type, flow_run.state_name, flow_run.start_time, flow_run.state_timestamp"

    /// The pool's holders per queue of one page of its queues (at most `flowRunLimit` runs each).
    static func poolStatus(_ db: Database, pool: WorkPool, page: Page, flowRunLimit: Int, now: Date) throws -> WorkPoolConcurrencyStatus {
        let queues = try WorkQueueStore.filter(db, poolID: pool.id, nil, page: page)
        let total = try WorkQueueStore.count(db, poolID: pool.id)
        let active = try WorkPoolStore.activeSlots(db, poolIDs: [pool.id])[pool.id] ?? 0
        let counts = try WorkQueueStore.activeSlots(db, queueIDs: queues.map(\.id))
        let details = try queues.map { queue in
            let count = counts[queue.id] ?? 0
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
        let total = try WorkQueueStore.activeSlots(db, queueIDs: [queue.id])[queue.id] ?? 0
        return WorkQueueConcurrencyStatus(
            activeSlots: total, concurrencyLimit: queue.concurrencyLimit,
            flowRuns: try summaries(db, queueID: queue.id, page: page, now: now), count: total, limit: page.limit,
            pages: pages(total, page.limit), page: page.offset / max(page.limit, 1) + 1)
    }

    private static func summaries(_ db: Database, queueID: UUID, page: Page, now: Date) throws -> [FlowRunSlotSummary] {
        let occupying = SQLCondition.isIn("flow_run.state_type", WorkPoolStore.slotOccupyingStates)
        return try Row.fetchAll(
            db, sql: """
                SELECT \(columns) FROM flow_run WHERE work_queue_id = ? AND \(occupying.sql)
                ORDER BY flow_run.state_timestamp, flow_run.id \(page.sql)
                """,
            arguments: StatementArguments([queueID.prefectString] + occupying.arguments)
        ).compactMap { row in
            guard let text = try row.decode(forColumn: "id") as String?, let id = UUID(uuidString: text), let name = try row.decode(forColumn: "name") as String? else { return nil }
            let stateTimestamp = (try row.decode(forColumn: "state_timestamp") as Int64?).map(StoredTime.date)
            return FlowRunSlotSummary(
                id: id, name: name, stateType: (try row.decode(forColumn: "state_type") as String?).map(StateType.init(rawValue:)),
                stateName: try row.decode(forColumn: "state_name"), startTime: (try row.decode(forColumn: "start_time") as Int64?).map(StoredTime.date),
                stateTimestamp: stateTimestamp, timeInCurrentState: stateTimestamp.map { now.timeIntervalSince($0) })
        }
    }

    private static func pages(_ total: Int, _ limit: Int) -> Int {
        limit > 0 ? (total + limit - 1) / limit : 0
    }
}
