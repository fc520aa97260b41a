import Foundation
import GRDB
import HTTPTypes
import PrefectSchemas

/// Work queues in table `work_queue` (Prefect's `models/workers.py` and `models/work_queues.py`).
enum WorkQueueStore {
    /// How recent a poll keeps a queue READY (`WORK_QUEUE_LAST_POLLED_TIMEOUT`, 60 s).
    static let lastPolledTimeout: TimeInterval = 60

    private static let from = "work_queue JOIN work_pool ON work_queue.work_pool_id = work_pool.id"

    /// Inserts the queue in `poolID`, NOT_READY (also when created paused, as Prefect's model
    /// default has it). Without a priority it takes the first free rank; with one, the others
    /// move down to keep ranks 1, 2, 3, … (`bulk_update_work_queue_priorities`).
    static func create(_ db: Database, poolID: UUID, _ create: WorkQueueCreate, now: Date) throws -> WorkQueue {
        let taken = try Int.fetchAll(db, sql: "SELECT priority FROM work_queue WHERE work_pool_id = ? ORDER BY priority", arguments: [poolID.prefectString])
        var priority = create.priority
        if priority == nil {
            priority = taken.enumerated().first { $0.offset + 1 != $0.element }.map { $0.offset + 1 } ?? ((taken.max() ?? 0) + 1)
        }
        let id = UUID.version4()
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO work_queue (id, work_pool_id, name, created, updated, description, is_paused, concurrency_limit,
                    priority, filter, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id.prefectString, poolID.prefectString, create.name, stamp, stamp, create.description, create.isPaused,
                        create.concurrencyLimit, priority, try create.filter.map(JSONText.encode),
                        WorkQueueStatus.notReady.rawValue])
        if let requested = create.priority {
            try reorder(db, poolID: poolID, moving: id, to: requested)
        }
        let queue = try read(db, id: id) ?? { throw PrefectServerUnavailable(description: "work queue vanished") }()
        try ServerEvents.emit(db, WorkQueueEvents.event(db, "created", queue, now: now))
        return queue
    }

    /// The queues of a pool, by priority.
    static func all(_ db: Database, poolID: UUID) throws -> [WorkQueue] {
        try Row.fetchAll(
            db, sql: "SELECT \(WorkPoolRows.queueColumns) FROM \(from) WHERE work_queue.work_pool_id = ? ORDER BY work_queue.priority",
            arguments: [poolID.prefectString]
        ).map(WorkPoolRows.queue)
    }

    static func read(_ db: Database, id: UUID) throws -> WorkQueue? {
        try Row.fetchOne(db, sql: "SELECT \(WorkPoolRows.queueColumns) FROM \(from) WHERE work_queue.id = ?", arguments: [id.prefectString])
            .map(WorkPoolRows.queue)
    }

    static func read(_ db: Database, pool: String, name: String) throws -> WorkQueue? {
        try Row.fetchOne(
            db, sql: "SELECT \(WorkPoolRows.queueColumns) FROM \(from) WHERE work_pool.name = ? AND work_queue.name = ? LIMIT 1",
            arguments: [pool, name]
        ).map(WorkPoolRows.queue)
    }

    /// The queue `pool/name`, or Prefect's 404 `Work pool queue 'pool/name' not found.`.
    static func named(_ db: Database, pool: String, name: String) throws -> WorkQueue {
        guard let queue = try read(db, pool: pool, name: name) else {
            throw APIError.notFound("Work pool queue '\(pool)/\(name)' not found.")
        }
        return queue
    }

    /// `WorkerLookups._get_work_queue_id_from_name`: the id of queue `pool/name`, created in the
    /// pool when missing and `createIfMissing` (404 for a missing pool or queue otherwise).
    static func id(_ db: Database, pool: String, name: String, createIfMissing: Bool, now: Date) throws -> UUID {
        if let queue = try read(db, pool: pool, name: name) { return queue.id }
        guard createIfMissing else { throw APIError.notFound("Work pool queue '\(pool)/\(name)' not found.") }
        let owner = try WorkPoolStore.named(db, pool)
        return try create(db, poolID: owner.id, WorkQueueCreate(name: name, description: ""), now: now).id
    }

    /// The legacy lookup by name alone: in the default agent pool when it exists, else anywhere.
    static func read(_ db: Database, legacyName name: String) throws -> WorkQueue? {
        if try WorkPoolStore.read(db, name: WorkPoolStore.defaultAgentPoolName) != nil {
            return try read(db, pool: WorkPoolStore.defaultAgentPoolName, name: name)
        }
        return try Row.fetchOne(
            db, sql: "SELECT \(WorkPoolRows.queueColumns) FROM \(from) WHERE work_queue.name = ? LIMIT 1", arguments: [name]
        ).map(WorkPoolRows.queue)
    }

    /// The queues of one pool by priority, or of every pool by name.
    static func filter(_ db: Database, poolID: UUID?, _ filter: WorkQueueFilter?, page: Page?) throws -> [WorkQueue] {
        var parts = SQLConditionList()
        if let poolID { parts.add(SQLCondition(sql: "work_queue.work_pool_id = ?", arguments: [poolID.prefectString])) }
        parts.add(filter?.sqlCondition())
        let condition = parts.combined(.and)
        let order = poolID == nil ? "work_queue.name" : "work_queue.priority"
        return try Row.fetchAll(
            db, sql: "SELECT \(WorkPoolRows.queueColumns) FROM \(from) WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page?.sql ?? "")",
            arguments: condition?.statementArguments ?? []
        ).map(WorkPoolRows.queue)
    }

    static func count(_ db: Database, poolID: UUID) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work_queue WHERE work_pool_id = ?", arguments: [poolID.prefectString]) ?? 0
    }

    /// The queues with `active_slots` filled in for those with a concurrency limit.
    static func withActiveSlots(_ db: Database, _ queues: [WorkQueue]) throws -> [WorkQueue] {
        let limited = queues.filter { $0.concurrencyLimit != nil }.map(\.id)
        guard !limited.isEmpty else { return queues }
        let counts = try activeSlots(db, queueIDs: limited)
        return queues.map { queue in
            var queue = queue
            if queue.concurrencyLimit != nil { queue.activeSlots = counts[queue.id] ?? 0 }
            return queue
        }
    }

    /// Flow runs in slot-occupying states, per queue (`count_work_queue_active_slots_bulk`).
    static func activeSlots(_ db: Database, queueIDs: [UUID]) throws -> [UUID: Int] {
        let ids = SQLCondition.isIn("work_queue_id", queueIDs)
        let states = SQLCondition.isIn("state_type", WorkPoolStore.slotOccupyingStates)
        var counts: [UUID: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT work_queue_id, COUNT(*) FROM flow_run WHERE \(ids.sql) AND \(states.sql) GROUP BY work_queue_id",
            arguments: StatementArguments(ids.arguments + states.arguments)) {
            if let text = try row.decode(atIndex: 0) as String?, let id = UUID(uuidString: text) { counts[id] = try row.decode(atIndex: 1) }
        }
        return counts
    }

    /// Applies `changes` as `update_work_queue` does (statuses: pausing → PAUSED; resuming a
    /// paused queue → READY when polled within 60 s, else NOT_READY); a new priority moves the
    /// others as on create. Changed fields are announced (`prefect.work-queue.updated`), and so
    /// is a new status. False when the queue does not exist.
    static func update(_ db: Database, id: UUID, _ changes: WorkPoolBodies.QueueChanges, now: Date) throws -> Bool {
        guard var queue = try read(db, id: id), let poolID = queue.workPoolID else { return false }
        let before = queue
        var statusSet = false
        if let name = changes.name { queue.name = name }
        if let description = changes.description { queue.description = description }
        if let limit = changes.concurrencyLimit { queue.concurrencyLimit = limit }
        if let lastPolled = changes.lastPolled { queue.lastPolled = lastPolled }
        if let filter = changes.filter { queue.filter = filter }
        if let paused = changes.isPaused {
            if paused, queue.status != .paused {
                queue.status = .paused
                statusSet = true
            }
            if !paused, queue.status == .paused {
                queue.status = isRecent(queue.lastPolled, now: now) ? .ready : .notReady
                statusSet = true
            }
            queue.isPaused = paused
        }
        if let priority = changes.priority { queue.priority = priority }
        try db.execute(
            sql: """
                UPDATE work_queue SET name = ?, updated = ?, description = ?, is_paused = ?, concurrency_limit = ?, priority = ?,
                    filter = ?, last_polled = ?, status = ? WHERE id = ?
                """,
            arguments: [queue.name, StoredTime.micros(now), queue.description, queue.isPaused, queue.concurrencyLimit, queue.priority,
                        try queue.filter.map(JSONText.encode), StoredTime.optionalMicros(queue.lastPolled),
                        queue.status?.rawValue, id.prefectString])
        var given: [String] = []
        if changes.name != nil { given.append("name") }
        if changes.description != nil { given.append("description") }
        if changes.concurrencyLimit != nil { given.append("concurrency_limit") }
        if changes.priority != nil { given.append("priority") }
        if let updated = try WorkQueueEvents.updated(db, before: before, after: queue, given: given, now: now) {
            try ServerEvents.emit(db, updated)
        }
        if let priority = changes.priority { try reorder(db, poolID: poolID, moving: id, to: priority) }
        if statusSet, let event = try WorkQueueEvents.status(db, queue, now: now) { try ServerEvents.emit(db, event) }
        return true
    }

    /// Deletes the queue and renumbers the rest; false when it does not exist. A pool's
    /// default queue cannot go: 409 with Prefect's reason ("Can't delete a pool's default
    /// queue."), where Prefect 3.9.1 itself lets that error out as a 500. The deletion is
    /// announced.
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        guard let queue = try read(db, id: id), let poolID = queue.workPoolID else { return false }
        let isDefault = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM work_pool WHERE default_queue_id = ?)", arguments: [id.prefectString]) ?? false
        guard !isDefault else { throw APIError.detail(.conflict, "Can't delete a pool's default queue.") }
        try ServerEvents.emit(db, WorkQueueEvents.event(db, "deleted", queue, now: now))
        try detachRuns(db, queueCondition: SQLCondition(sql: "work_queue_id = ?", arguments: [id.prefectString]))
        try db.execute(sql: "DELETE FROM work_queue WHERE id = ?", arguments: [id.prefectString])
        try reorder(db, poolID: poolID, moving: nil, to: nil)
        return true
    }

    /// Records a poll of these queues: `last_polled` now, and READY for a queue that was
    /// NOT_READY (`mark_work_queues_ready`), announced (`prefect.work-queue.ready`).
    static func markPolled(_ db: Database, ids: [UUID], now: Date) throws {
        guard !ids.isEmpty else { return }
        try markPolled(db, SQLCondition.isIn("id", ids), now: now)
    }

    /// Records a poll of every queue of the pool.
    static func markPolled(_ db: Database, poolID: UUID, now: Date) throws {
        try markPolled(db, SQLCondition(sql: "work_pool_id = ?", arguments: [poolID.prefectString]), now: now)
    }

    private static func markPolled(_ db: Database, _ condition: SQLCondition, now: Date) throws {
        let unready = try String.fetchAll(
            db, sql: "SELECT id FROM work_queue WHERE status = 'NOT_READY' AND (\(condition.sql)) ORDER BY id",
            arguments: condition.statementArguments
        ).compactMap(UUID.init(uuidString:))
        try db.execute(
            sql: "UPDATE work_queue SET last_polled = ?, status = CASE WHEN status = 'NOT_READY' THEN 'READY' ELSE status END WHERE \(condition.sql)",
            arguments: StatementArguments([StoredTime.micros(now)] + condition.arguments))
        for id in unready {
            if let queue = try read(db, id: id), let event = try WorkQueueEvents.status(db, queue, now: now) { try ServerEvents.emit(db, event) }
        }
    }

    /// Takes the runs of the queues being deleted out of them: the column goes NULL through
    /// the foreign key, the stored body here (they must agree for runs read and written back).
    static func detachRuns(_ db: Database, queueCondition: SQLCondition) throws {
        try db.execute(
            sql: """
                UPDATE flow_run SET body = CAST(json_set(CAST(body AS TEXT), '$.work_queue_id', NULL) AS BLOB)
                WHERE \(queueCondition.sql)
                """,
            arguments: queueCondition.statementArguments)
    }

    static func isRecent(_ lastPolled: Date?, now: Date) -> Bool {
        guard let lastPolled else { return false }
        return now.timeIntervalSince(lastPolled) <= lastPolledTimeout
    }

    /// `bulk_update_work_queue_priorities`: the moved queue goes before the first other queue
    /// whose priority is at least its new one; then ranks are made strictly increasing with as
    /// few changes as possible.
    private static func reorder(_ db: Database, poolID: UUID, moving: UUID?, to priority: Int?) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, priority FROM work_queue WHERE work_pool_id = ? ORDER BY priority", arguments: [poolID.prefectString])
        var queues: [(id: String, priority: Int)] = try rows.compactMap { row in
            guard let id = try row.decode(forColumn: "id") as String?, let priority = try row.decode(forColumn: "priority") as Int? else { return nil }
            return (id, priority)
        }
        let before = Dictionary(uniqueKeysWithValues: queues.map { ($0.id, $0.priority) })
        if let moving = moving?.prefectString, let priority {
            queues.removeAll { $0.id == moving }
            // Behind every other queue, Prefect leaves it out of the renumbering at its new rank.
            if let index = queues.firstIndex(where: { $0.priority >= priority }) {
                queues.insert((moving, priority), at: index)
            }
        }
        var last = 0
        for index in queues.indices {
            if queues[index].priority <= last {
                last += 1
                queues[index].priority = last
            } else {
                last = queues[index].priority
            }
        }
        for queue in queues where before[queue.id] != queue.priority {
            try db.execute(sql: "UPDATE work_queue SET priority = ? WHERE id = ?", arguments: [queue.priority, queue.id])
        }
    }
}
