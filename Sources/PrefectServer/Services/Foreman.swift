import Foundation
import GRDB
import PrefectSchemas

/// Prefect's Foreman (`monitor_worker_health`, `prefect/server/services/foreman.py`): workers
/// whose heartbeats stopped go OFFLINE; READY pools left without an ONLINE worker, deployments
/// not polled lately (nor their queue) and queues not polled lately go NOT_READY, each change
/// announced as Prefect announces it (`prefect.work-pool.not-ready`,
/// `prefect.deployment.not-ready`, `prefect.work-queue.not-ready`).
enum Foreman {
    struct Settings: Sendable {
        var inactivityHeartbeatMultiple = 3
        var fallbackHeartbeatIntervalSeconds = 30
        var deploymentLastPolledTimeoutSeconds: TimeInterval = 60
        var workQueueLastPolledTimeoutSeconds: TimeInterval = 60
    }

    static func pass(_ database: PrefectDatabase, _ settings: Settings, now: Date, skipped: SkippedRows) async throws {
        try await database.pool.write { db in
            try markWorkersOffline(db, settings, now: now)
            try markPoolsNotReady(db, now: now)
            try markDeploymentsNotReady(db, timeout: settings.deploymentLastPolledTimeoutSeconds, now: now)
            try markQueuesNotReady(db, timeout: settings.workQueueLastPolledTimeoutSeconds, now: now)
        }
    }

    /// `_mark_online_workers_without_recent_heartbeat_as_offline`: no heartbeat for the
    /// worker's interval (or the fallback) times the multiple.
    static func markWorkersOffline(_ db: Database, _ settings: Settings, now: Date) throws {
        try db.execute(
            sql: """
                UPDATE worker SET status = 'OFFLINE'
                WHERE status = 'ONLINE'
                AND ? - last_heartbeat_time > COALESCE(heartbeat_interval_seconds, ?) * ? * 1000000
                """,
            arguments: [StoredTime.micros(now), settings.fallbackHeartbeatIntervalSeconds, settings.inactivityHeartbeatMultiple])
    }

    /// `_mark_work_pools_as_not_ready`.
    static func markPoolsNotReady(_ db: Database, now: Date) throws {
        let ids = try String.fetchAll(
            db, sql: """
                SELECT id FROM work_pool WHERE status = 'READY' AND NOT EXISTS (
                    SELECT 1 FROM worker WHERE worker.work_pool_id = work_pool.id AND worker.status = 'ONLINE')
                ORDER BY id
                """
        ).compactMap(UUID.init(uuidString:))
        for id in ids { try WorkPoolStore.setStatus(db, poolID: id, .notReady, now: now) }
    }

    /// `_mark_deployments_as_not_ready` and `mark_deployments_not_ready`: `updated` is left
    /// alone, so that the scheduler does not take them for changed.
    static func markDeploymentsNotReady(_ db: Database, timeout: TimeInterval, now: Date) throws {
        let threshold = StoredTime.micros(now.addingTimeInterval(-timeout))
        let ids = try String.fetchAll(
            db, sql: """
                SELECT deployment.id FROM deployment LEFT JOIN work_queue ON work_queue.id = deployment.work_queue_id
                WHERE deployment.status = 'READY' AND deployment.last_polled IS NOT NULL AND deployment.last_polled < ?
                AND (work_queue.last_polled IS NULL OR work_queue.last_polled < ?)
                ORDER BY deployment.id
                """,
            arguments: [threshold, threshold]
        ).compactMap(UUID.init(uuidString:))
        guard !ids.isEmpty else { return }
        let condition = SQLCondition.isIn("id", ids)
        try db.execute(sql: "UPDATE deployment SET status = 'NOT_READY' WHERE \(condition.sql)", arguments: condition.statementArguments)
        for id in ids { try DeploymentEvents.emit(db, "not-ready", id: id, now: now) }
    }

    /// `_mark_work_queues_as_not_ready` and `mark_work_queues_not_ready`, oldest poll first.
    static func markQueuesNotReady(_ db: Database, timeout: TimeInterval, now: Date) throws {
        let ids = try String.fetchAll(
            db, sql: """
                SELECT id FROM work_queue WHERE status = 'READY' AND last_polled IS NOT NULL AND last_polled < ?
                ORDER BY last_polled ASC
                """,
            arguments: [StoredTime.micros(now.addingTimeInterval(-timeout))]
        ).compactMap(UUID.init(uuidString:))
        guard !ids.isEmpty else { return }
        let condition = SQLCondition.isIn("id", ids)
        try db.execute(sql: "UPDATE work_queue SET status = 'NOT_READY' WHERE \(condition.sql)", arguments: condition.statementArguments)
        for id in ids {
            if let queue = try WorkQueueStore.read(db, id: id), let event = try WorkQueueEvents.status(db, queue, now: now) {
                try ServerEvents.emit(db, event)
            }
        }
    }
}
