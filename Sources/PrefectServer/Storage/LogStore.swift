import Foundation
import GRDB
import PrefectSchemas

/// Logs in table `log` (Prefect's `models/logs.py`).
enum LogStore {
    /// Writes a batch in one transaction (the caller's).
    static func insert(_ db: Database, _ logs: [LogCreate], now: Date) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO log (id, created, name, level, flow_run_id, task_run_id, message, timestamp, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let created = StoredTime.truncated(now)
        for create in logs {
            let log = Log(
                id: UUID.version7(at: now), created: created, updated: created, name: create.name, level: create.level,
                message: create.message, timestamp: StoredTime.truncated(create.timestamp), flowRunID: create.flowRunID,
                taskRunID: create.taskRunID)
            try statement.execute(arguments: [
                log.id.prefectString, StoredTime.micros(created), log.name, log.level, log.flowRunID?.prefectString,
                log.taskRunID?.prefectString, log.message, StoredTime.micros(log.timestamp), try ServerJSON.encode(log),
            ])
        }
    }

    /// The stored log (as the API answers it, raw JSON) if it matches `filter`.
    static func body(_ db: Database, id: UUID, matching filter: ServedLogFilter) throws -> Data? {
        let condition = filter.sqlCondition()
        return try Data.fetchOne(
            db, sql: "SELECT body FROM log WHERE id = ? AND \(condition?.sql ?? "1")",
            arguments: StatementArguments([id.prefectString] + (condition?.arguments ?? [])))
    }

    /// The JSON bodies of the matching logs; Prefect's default order is `TIMESTAMP_ASC`.
    static func filter(_ db: Database, _ filter: ServedLogFilter?, sort: LogSort?, page: Page) throws -> [Data] {
        let condition = filter?.sqlCondition()
        let order = sort == .timestampDesc ? "log.timestamp DESC" : "log.timestamp ASC"
        return try Data.fetchAll(
            db, sql: "SELECT log.body FROM log WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page.sql)",
            arguments: condition?.statementArguments ?? [])
    }
}
