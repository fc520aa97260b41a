import Foundation
import GRDB
import PrefectSchemas

/// Workers in table `worker` (Prefect's `models/workers.py`).
enum WorkerStore {
    /// Records a heartbeat (`record_worker_heartbeat`): the worker is inserted or updated as
    /// ONLINE, and a NOT_READY pool becomes READY.
    static func heartbeat(_ db: Database, pool: WorkPool, name: String, intervalSeconds: Int?, now: Date) throws {
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO worker (id, work_pool_id, name, created, updated, last_heartbeat_time, heartbeat_interval_seconds, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'ONLINE')
                ON CONFLICT (work_pool_id, name) DO UPDATE SET
                    last_heartbeat_time = excluded.last_heartbeat_time, updated = excluded.updated, status = 'ONLINE',
                    heartbeat_interval_seconds = COALESCE(excluded.heartbeat_interval_seconds, worker.heartbeat_interval_seconds)
                """,
            arguments: [UUID.version4().prefectString, pool.id.prefectString, name, stamp, stamp, stamp, intervalSeconds])
        if pool.status == .notReady {
            try WorkPoolStore.setStatus(db, poolID: pool.id, .ready, now: now)
        }
    }

    /// The pool's workers that match, most recent heartbeat first.
    static func filter(_ db: Database, poolID: UUID, _ filter: WorkerFilter?, page: Page) throws -> [Worker] {
        var parts = SQLConditionList()
        parts.add(SQLCondition(sql: "worker.work_pool_id = ?", arguments: [poolID.prefectString]))
        parts.add(filter?.sqlCondition())
        let condition = parts.combined(.and)
        return try Row.fetchAll(
            db, sql: "SELECT \(WorkPoolRows.workerColumns) FROM worker WHERE \(condition?.sql ?? "1") ORDER BY last_heartbeat_time DESC \(page.sql)",
            arguments: condition?.statementArguments ?? []
        ).map(WorkPoolRows.worker)
    }

    static func hasOnlineWorker(_ db: Database, poolID: UUID) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM worker WHERE work_pool_id = ? AND status = 'ONLINE')",
            arguments: [poolID.prefectString]) ?? false
    }

    /// Deletes the worker; false when the pool has none of that name.
    static func delete(_ db: Database, poolID: UUID, name: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM worker WHERE work_pool_id = ? AND name = ?", arguments: [poolID.prefectString, name])
        return db.changesCount > 0
    }
}
