import Foundation
import GRDB
import PrefectSchemas

/// Work pools in table `work_pool` (Prefect's `models/workers.py`).
enum WorkPoolStore {
    /// The pool legacy `/work_queues/` creates put their queues in (`DEFAULT_AGENT_WORK_POOL_NAME`).
    static let defaultAgentPoolName = "default-agent-pool"

    /// The states whose flow runs hold a slot of their pool (`SLOT_OCCUPYING_STATES` as
    /// `count_work_pool_active_slots` uses them).
    static let slotOccupyingStates = ["PENDING", "RUNNING", "CANCELLING"]

    /// Inserts the pool in status NOT_READY (PAUSED when paused; none for `prefect-agent`
    /// pools) with its queue "default"; a taken name violates the unique constraint. The queue,
    /// the pool and its first status are announced, in that order, as Prefect announces them.
    static func create(_ db: Database, _ create: WorkPoolCreate, now: Date) throws -> WorkPool {
        let stamp = StoredTime.micros(now)
        let id = UUID.version4()
        let status: WorkPoolStatus? = create.type == "prefect-agent" ? nil : (create.isPaused ? .paused : .notReady)
        try db.execute(
            sql: """
                INSERT INTO work_pool (id, name, created, updated, description, type, base_job_template, is_paused,
                    concurrency_limit, status, storage_configuration)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id.prefectString, create.name, stamp, stamp, create.description, create.type,
                        try JSONText.encode(create.baseJobTemplate), create.isPaused, create.concurrencyLimit,
                        status?.rawValue, try JSONText.encode(create.storageConfiguration)])
        let queue = try WorkQueueStore.create(
            db, poolID: id, WorkQueueCreate(name: "default", description: "The work pool's default queue."), now: now)
        try db.execute(sql: "UPDATE work_pool SET default_queue_id = ? WHERE id = ?", arguments: [queue.id.prefectString, id.prefectString])
        guard let pool = try read(db, id: id) else { throw PrefectServerUnavailable(description: "work pool vanished") }
        try ServerEvents.emit(db, WorkPoolEvents.lifecycle(.created, pool, now: now))
        if let status = try WorkPoolEvents.status(db, pool, previousTransition: nil, now: now) { try ServerEvents.emit(db, status) }
        return pool
    }

    /// When the pool last changed status.
    private static func lastTransition(_ db: Database, id: UUID) throws -> Date? {
        try Int64.fetchOne(db, sql: "SELECT last_transitioned_status_at FROM work_pool WHERE id = ?", arguments: [id.prefectString])
            .map(StoredTime.date)
    }

    static func read(_ db: Database, id: UUID) throws -> WorkPool? {
        try Row.fetchOne(db, sql: "SELECT \(WorkPoolRows.poolColumns) FROM work_pool WHERE id = ?", arguments: [id.prefectString])
            .map(WorkPoolRows.pool)
    }

    static func read(_ db: Database, name: String) throws -> WorkPool? {
        try Row.fetchOne(db, sql: "SELECT \(WorkPoolRows.poolColumns) FROM work_pool WHERE name = ?", arguments: [name])
            .map(WorkPoolRows.pool)
    }

    /// The pool named `name`, or Prefect's 404 `Work pool "name" not found.`.
    static func named(_ db: Database, _ name: String) throws -> WorkPool {
        guard let pool = try read(db, name: name) else { throw APIError.notFound("Work pool \"\(name)\" not found.") }
        return pool
    }

    /// The pools that match, by name.
    static func filter(_ db: Database, _ filter: WorkPoolFilter?, page: Page) throws -> [WorkPool] {
        let condition = filter?.sqlCondition()
        return try Row.fetchAll(
            db, sql: "SELECT \(WorkPoolRows.poolColumns) FROM work_pool WHERE \(condition?.sql ?? "1") ORDER BY name \(page.sql)",
            arguments: condition?.statementArguments ?? []
        ).map(WorkPoolRows.pool)
    }

    static func count(_ db: Database, _ filter: WorkPoolFilter?) throws -> Int {
        let condition = filter?.sqlCondition()
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM work_pool WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// The pools with `active_slots` filled in for those with a concurrency limit, as the
    /// routes answer them.
    static func withActiveSlots(_ db: Database, _ pools: [WorkPool]) throws -> [WorkPool] {
        let limited = pools.filter { $0.concurrencyLimit != nil }.map(\.id)
        guard !limited.isEmpty else { return pools }
        let counts = try activeSlots(db, poolIDs: limited)
        return pools.map { pool in
            var pool = pool
            if pool.concurrencyLimit != nil { pool.activeSlots = counts[pool.id] ?? 0 }
            return pool
        }
    }

    /// Flow runs in slot-occupying states, per pool (`count_work_pool_active_slots_bulk`).
    static func activeSlots(_ db: Database, poolIDs: [UUID]) throws -> [UUID: Int] {
        let ids = SQLCondition.isIn("work_queue.work_pool_id", poolIDs)
        let states = SQLCondition.isIn("flow_run.state_type", slotOccupyingStates)
        let rows = try Row.fetchAll(
            db, sql: """
                SELECT work_queue.work_pool_id, COUNT(*) FROM flow_run JOIN work_queue ON flow_run.work_queue_id = work_queue.id
                WHERE \(ids.sql) AND \(states.sql) GROUP BY work_queue.work_pool_id
                """,
            arguments: StatementArguments(ids.arguments + states.arguments))
        var counts: [UUID: Int] = [:]
        for row in rows {
            if let text = try row.decode(atIndex: 0) as String?, let id = UUID(uuidString: text) { counts[id] = try row.decode(atIndex: 1) }
        }
        return counts
    }

    /// Applies `changes` as `update_work_pool` does: pausing sets PAUSED, resuming READY when an
    /// ONLINE worker exists and NOT_READY otherwise (pools of type `prefect-agent` keep no status).
    /// Changed fields are announced (`prefect.work-pool.updated`), and so is the status
    /// whenever `is_paused` is given.
    static func update(_ db: Database, _ pool: WorkPool, _ changes: WorkPoolBodies.PoolChanges, now: Date) throws {
        let before = pool
        let previousTransition = try lastTransition(db, id: pool.id)
        var status = pool.status
        if pool.type != "prefect-agent", let paused = changes.isPaused {
            if paused {
                status = .paused
            } else {
                status = try WorkerStore.hasOnlineWorker(db, poolID: pool.id) ? .ready : .notReady
            }
        }
        var pool = pool
        if let description = changes.description { pool.description = description }
        if let paused = changes.isPaused { pool.isPaused = paused }
        if let template = changes.baseJobTemplate { pool.baseJobTemplate = template }
        if let limit = changes.concurrencyLimit { pool.concurrencyLimit = limit }
        if let storage = changes.storageConfiguration { pool.storageConfiguration = storage }
        let statusChanged = changes.isPaused != nil && pool.type != "prefect-agent"
        try db.execute(
            sql: """
                UPDATE work_pool SET updated = ?, description = ?, is_paused = ?, base_job_template = ?, concurrency_limit = ?,
                    storage_configuration = ?, status = ?, last_transitioned_status_at = CASE WHEN ? THEN ? ELSE last_transitioned_status_at END
                WHERE id = ?
                """,
            arguments: [StoredTime.micros(now), pool.description, pool.isPaused, try JSONText.encode(pool.baseJobTemplate),
                        pool.concurrencyLimit, try JSONText.encode(pool.storageConfiguration), status?.rawValue,
                        statusChanged, StoredTime.micros(now), pool.id.prefectString])
        pool.status = status
        var given: [String] = []
        if changes.description != nil { given.append("description") }
        if changes.baseJobTemplate != nil { given.append("base_job_template") }
        if changes.concurrencyLimit != nil { given.append("concurrency_limit") }
        if changes.storageConfiguration != nil { given.append("storage_configuration") }
        if let updated = try WorkPoolEvents.updated(before: before, after: pool, given: given, now: now) { try ServerEvents.emit(db, updated) }
        if statusChanged, let event = try WorkPoolEvents.status(db, pool, previousTransition: previousTransition, now: now) {
            try ServerEvents.emit(db, event)
        }
    }

    /// Sets the status (a worker's first heartbeat makes a NOT_READY pool READY) and announces it.
    static func setStatus(_ db: Database, poolID: UUID, _ status: WorkPoolStatus, now: Date) throws {
        let previousTransition = try lastTransition(db, id: poolID)
        try db.execute(
            sql: "UPDATE work_pool SET status = ?, updated = ?, last_transitioned_status_at = ? WHERE id = ?",
            arguments: [status.rawValue, StoredTime.micros(now), StoredTime.micros(now), poolID.prefectString])
        if let pool = try read(db, id: poolID), let event = try WorkPoolEvents.status(db, pool, previousTransition: previousTransition, now: now) {
            try ServerEvents.emit(db, event)
        }
    }

    /// Deletes the pool with its queues and workers (the flow runs of its queues keep existing);
    /// each queue's deletion and then the pool's are announced.
    static func delete(_ db: Database, id: UUID, now: Date) throws {
        if let pool = try read(db, id: id) {
            for queue in try WorkQueueStore.all(db, poolID: id) {
                try ServerEvents.emit(db, WorkQueueEvents.event(db, "deleted", queue, now: now))
            }
            try ServerEvents.emit(db, WorkPoolEvents.lifecycle(.deleted, pool, now: now))
        }
        try WorkQueueStore.detachRuns(db, queueCondition: SQLCondition(
            sql: "work_queue_id IN (SELECT id FROM work_queue WHERE work_pool_id = ?)", arguments: [id.prefectString]))
        try db.execute(sql: "UPDATE work_pool SET default_queue_id = NULL WHERE id = ?", arguments: [id.prefectString])
        try db.execute(sql: "DELETE FROM work_pool WHERE id = ?", arguments: [id.prefectString])
    }

    /// Whether `name` is reserved (`Prefect…`, any case).
    static func isReserved(_ name: String) -> Bool {
        name.lowercased().hasPrefix("prefect")
    }
}
