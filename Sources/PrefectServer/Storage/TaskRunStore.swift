import Foundation
import GRDB
import PrefectSchemas

/// Task runs in table `task_run`, their states in `task_run_state`, and the task cache in
/// `task_run_state_cache` (Prefect's `models/task_runs.py`).
enum TaskRunStore: RunStorage {
    @discardableResult
    static func insert(_ db: Database, _ run: TaskRun) throws -> Data {
        let mutable = try mutableColumns(run, created: true)
        try db.executeCached(
            sql: """
                INSERT INTO task_run (id, flow_run_id, task_key, dynamic_key, name, created, updated, state_type,
                    state_name, state_timestamp, start_time, end_time, expected_start_time, next_scheduled_start_time,
                    total_run_time, tags, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [run.id.prefectString, run.flowRunID?.prefectString, run.taskKey, run.dynamicKey] + mutable.statement)
        return mutable.body
    }

    @discardableResult
    static func save(_ db: Database, _ run: TaskRun) throws -> Data {
        let mutable = try mutableColumns(run, created: false)
        try db.executeCached(
            sql: """
                UPDATE task_run SET name = ?, updated = ?, state_type = ?, state_name = ?, state_timestamp = ?,
                    start_time = ?, end_time = ?, expected_start_time = ?, next_scheduled_start_time = ?,
                    total_run_time = ?, tags = ?, body = ?
                WHERE id = ?
                """,
            arguments: mutable.statement + [run.id.prefectString])
        return mutable.body
    }

    /// The column values of `run` and the JSON body among them (without the estimates, which are
    /// computed when read).
    private static func mutableColumns(_ run: TaskRun, created: Bool) throws -> (statement: StatementArguments, body: Data) {
        let body = try RunJSON.storedBody(run)
        var arguments: StatementArguments = [run.name]
        if created { arguments += [StoredTime.micros(run.created ?? Date())] }
        arguments += [
            StoredTime.micros(run.updated ?? Date()), run.stateType?.rawValue, run.stateName,
            StoredTime.optionalMicros(run.state?.timestamp), StoredTime.optionalMicros(run.startTime), StoredTime.optionalMicros(run.endTime),
            StoredTime.optionalMicros(run.expectedStartTime), StoredTime.optionalMicros(run.nextScheduledStartTime), run.totalRunTime,
            try JSONText.encode(run.tags), body,
        ]
        return (arguments, body)
    }

    static func read(_ db: Database, id: UUID, now: Date) throws -> TaskRun? {
        guard let body = try Data.fetchOneCached(db, sql: "SELECT body FROM task_run WHERE id = ?", arguments: [id.prefectString])
        else { return nil }
        return try decode(body, now: now)
    }

    /// The task run with this flow run, task key and dynamic key (Prefect's upsert columns).
    static func read(_ db: Database, flowRunID: UUID?, taskKey: String, dynamicKey: String, now: Date) throws -> TaskRun? {
        let body: Data?
        if let flowRunID {
            body = try Data.fetchOne(
                db, sql: "SELECT body FROM task_run WHERE flow_run_id = ? AND task_key = ? AND dynamic_key = ?",
                arguments: [flowRunID.prefectString, taskKey, dynamicKey])
        } else {
            body = try Data.fetchOne(
                db, sql: "SELECT body FROM task_run WHERE flow_run_id IS NULL AND task_key = ? AND dynamic_key = ? LIMIT 1",
                arguments: [taskKey, dynamicKey])
        }
        return try body.map { try decode($0, now: now) }
    }

    /// The API's JSON for the run, estimates as of `now`, without decoding it.
    static func readJSON(_ db: Database, id: UUID, now: Date) throws -> Data? {
        try RunJSON.read(db, table: "task_run", id: id, now: now)
    }

    /// The API's JSON array of the matching runs, in `sort` order, without decoding them.
    static func filterJSON(_ db: Database, _ query: RunQuery, sort: TaskRunSort?, page: Page, now: Date) throws -> Data {
        try RunJSON.filter(db, table: "task_run", condition: query.taskRunCondition(), order: order(sort, now: now), page: page, now: now)
    }

    static func count(_ db: Database, _ query: RunQuery) throws -> Int {
        let condition = query.taskRunCondition()
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM task_run WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    static func delete(_ db: Database, id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM task_run WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }

    // MARK: states

    static func insertState(_ db: Database, _ state: State, runID taskRunID: UUID) throws {
        try insertState(db, state, runID: taskRunID, ignoringDuplicate: false)
    }

    /// - Parameter ignoringDuplicate: keep the stored state when one has this id (the recorder's
    ///   `ON CONFLICT (id) DO NOTHING`).
    static func insertState(_ db: Database, _ state: State, runID taskRunID: UUID, ignoringDuplicate: Bool) throws {
        try db.executeCached(
            sql: "INSERT \(ignoringDuplicate ? "OR IGNORE " : "")INTO task_run_state (id, task_run_id, type, name, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [state.id.prefectString, taskRunID.prefectString, state.type.rawValue, state.name,
                        StoredTime.micros(state.timestamp), try ServerJSON.encode(state)])
    }

    static func stateBodies(_ db: Database, taskRunID: UUID) throws -> [Data] {
        try Data.fetchAll(
            db, sql: "SELECT body FROM task_run_state WHERE task_run_id = ? ORDER BY timestamp",
            arguments: [taskRunID.prefectString])
    }

    static func stateBody(_ db: Database, id: UUID) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT body FROM task_run_state WHERE id = ?", arguments: [id.prefectString])
    }

    // MARK: cache

    /// The newest unexpired cached state for `key` (Prefect's `CacheRetrieval` query).
    static func cachedState(_ db: Database, key: String, now: Date) throws -> State? {
        let body = try Data.fetchOne(
            db,
            sql: """
                SELECT task_run_state.body FROM task_run_state
                WHERE task_run_state.id = (
                    SELECT task_run_state_id FROM task_run_state_cache
                    WHERE cache_key = ? AND (cache_expiration IS NULL OR cache_expiration > ?)
                    ORDER BY created DESC LIMIT 1)
                """,
            arguments: [key, StoredTime.micros(now)])
        return try body.map { try PrefectJSON.decode(State.self, from: $0) }
    }

    static func insertCacheEntry(_ db: Database, key: String, expiration: Date?, stateID: UUID, now: Date) throws {
        try db.execute(
            sql: "INSERT INTO task_run_state_cache (cache_key, cache_expiration, task_run_state_id, created) VALUES (?, ?, ?, ?)",
            arguments: [key, StoredTime.optionalMicros(expiration), stateID.prefectString, StoredTime.micros(now)])
    }

    private static func decode(_ body: Data, now: Date) throws -> TaskRun {
        var run = try PrefectJSON.decode(TaskRun.self, from: body)
        run.computeEstimates(now: now)
        return run
    }

    /// Prefect's `TaskRunSort.as_sql_sort`; the default is `ID_DESC`.
    static func order(_ sort: TaskRunSort?, now: Date) -> String {
        let estimatedRunTime = """
            (task_run.total_run_time + CASE WHEN task_run.state_type = 'RUNNING' \
            THEN (\(StoredTime.micros(now)) - task_run.state_timestamp) / 1e6 ELSE 0 END)
            """
        return switch sort ?? .idDesc {
        case .expectedStartTimeAsc: "task_run.expected_start_time ASC"
        case .expectedStartTimeDesc: "task_run.expected_start_time DESC"
        case .nameAsc: "task_run.name ASC"
        case .nameDesc: "task_run.name DESC"
        case .nextScheduledStartTimeAsc: "task_run.next_scheduled_start_time ASC"
        case .endTimeDesc: "task_run.end_time DESC"
        case .durationDesc: "\(estimatedRunTime) DESC, task_run.expected_start_time DESC, task_run.id DESC"
        case .durationAsc: "\(estimatedRunTime) ASC, task_run.expected_start_time DESC, task_run.id DESC"
        default: "task_run.id DESC"
        }
    }
}
