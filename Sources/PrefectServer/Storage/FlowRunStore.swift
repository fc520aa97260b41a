import Foundation
import GRDB
import PrefectSchemas

/// Flow runs in table `flow_run`, their states in `flow_run_state` (Prefect's
/// `models/flow_runs.py`). The body column holds the run as the API returns it, state
/// included; the other columns are what filters and sorts read.
enum FlowRunStore: RunStorage {
    @discardableResult
    static func insert(_ db: Database, _ run: FlowRun) throws -> Data {
        let prepared = try PreparedInsert(run)
        try insert(db, prepared)
        return prepared.body
    }

    /// A run's insert with its JSON already encoded, so a writer that inserts many (the
    /// scheduler) only runs SQL while it holds the database.
    struct PreparedInsert: @unchecked Sendable {
        fileprivate let arguments: StatementArguments
        let body: Data

        init(_ run: FlowRun) throws {
            (arguments, body) = try columns(run, includingKeys: true)
        }
    }

    static func insert(_ db: Database, _ prepared: PreparedInsert) throws {
        try db.executeCached(
            sql: """
                INSERT INTO flow_run (id, flow_id, name, created, updated, state_type, state_name, state_timestamp,
                    start_time, end_time, expected_start_time, next_scheduled_start_time, total_run_time, tags,
                    deployment_id, work_queue_name, work_queue_id, flow_version, parent_task_run_id, idempotency_key,
                    created_by_id, created_by_type, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: prepared.arguments)
    }

    /// Writes every column of `run` back.
    @discardableResult
    static func save(_ db: Database, _ run: FlowRun) throws -> Data {
        let arguments = try columns(run, includingKeys: false)
        try db.executeCached(
            sql: """
                UPDATE flow_run SET name = ?, updated = ?, state_type = ?, state_name = ?, state_timestamp = ?,
                    start_time = ?, end_time = ?, expected_start_time = ?, next_scheduled_start_time = ?,
                    total_run_time = ?, tags = ?, deployment_id = ?, work_queue_name = ?, work_queue_id = ?, flow_version = ?,
                    parent_task_run_id = ?, idempotency_key = ?, created_by_id = ?, created_by_type = ?, body = ?
                WHERE id = ?
                """,
            arguments: arguments.statement + [run.id.prefectString])
        return arguments.body
    }

    /// The column values of `run` and the JSON body among them (without the estimates, which are
    /// computed when read).
    private static func columns(_ run: FlowRun, includingKeys: Bool) throws -> (statement: StatementArguments, body: Data) {
        let body = try RunJSON.storedBody(run)
        var arguments: StatementArguments = []
        if includingKeys {
            arguments += [run.id.prefectString, run.flowID.prefectString]
        }
        arguments += [run.name]
        if includingKeys { arguments += [StoredTime.micros(run.created ?? Date())] }
        arguments += [
            StoredTime.micros(run.updated ?? Date()), run.stateType?.rawValue, run.stateName,
            StoredTime.optionalMicros(run.state?.timestamp), StoredTime.optionalMicros(run.startTime), StoredTime.optionalMicros(run.endTime),
            StoredTime.optionalMicros(run.expectedStartTime), StoredTime.optionalMicros(run.nextScheduledStartTime), run.totalRunTime,
            try JSONText.encode(run.tags), run.deploymentID?.prefectString, run.workQueueName, run.workQueueID?.prefectString, run.flowVersion,
            run.parentTaskRunID?.prefectString, run.idempotencyKey, run.createdBy?.id?.prefectString, run.createdBy?.type,
            body,
        ]
        return (arguments, body)
    }

    /// The run, with its estimates as of `now`.
    static func read(_ db: Database, id: UUID, now: Date) throws -> FlowRun? {
        guard let body = try Data.fetchOneCached(db, sql: "SELECT body FROM flow_run WHERE id = ?", arguments: [id.prefectString])
        else { return nil }
        return try decode(body, now: now)
    }

    static func read(_ db: Database, flowID: UUID, idempotencyKey: String, now: Date) throws -> FlowRun? {
        guard let body = try Data.fetchOne(
            db, sql: "SELECT body FROM flow_run WHERE flow_id = ? AND idempotency_key = ?",
            arguments: [flowID.prefectString, idempotencyKey])
        else { return nil }
        return try decode(body, now: now)
    }

    /// The API's JSON for the run, estimates as of `now`, without decoding it.
    static func readJSON(_ db: Database, id: UUID, now: Date) throws -> Data? {
        try RunJSON.read(db, table: "flow_run", id: id, now: now)
    }

    /// The API's JSON array of the matching runs, in `sort` order, without decoding them.
    static func filterJSON(_ db: Database, _ query: RunQuery, sort: FlowRunSort?, page: Page, now: Date) throws -> Data {
        try RunJSON.filter(db, table: "flow_run", condition: query.flowRunCondition(), order: order(sort), page: page, now: now)
    }

    static func count(_ db: Database, _ query: RunQuery) throws -> Int {
        let condition = query.flowRunCondition()
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM flow_run WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// Deletes the run with its states, task runs, inputs and logs; false when it does not exist.
    static func delete(_ db: Database, id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM flow_run WHERE id = ?", arguments: [id.prefectString])
        guard db.changesCount > 0 else { return false }
        try db.execute(sql: "DELETE FROM log WHERE flow_run_id = ?", arguments: [id.prefectString])
        return true
    }

    // MARK: states

    static func insertState(_ db: Database, _ state: State, runID flowRunID: UUID) throws {
        try insertState(db, state, body: ServerJSON.encode(state), runID: flowRunID)
    }

    /// Inserts `state` with its JSON already encoded as `body`.
    static func insertState(_ db: Database, _ state: State, body: Data, runID flowRunID: UUID) throws {
        try db.executeCached(
            sql: "INSERT INTO flow_run_state (id, flow_run_id, type, name, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [state.id.prefectString, flowRunID.prefectString, state.type.rawValue, state.name,
                        StoredTime.micros(state.timestamp), body])
    }

    static func hasState(_ db: Database, flowRunID: UUID, at timestamp: Date) throws -> Bool {
        try Bool.fetchOneCached(
            db, sql: "SELECT EXISTS (SELECT 1 FROM flow_run_state WHERE flow_run_id = ? AND timestamp = ?)",
            arguments: [flowRunID.prefectString, StoredTime.micros(timestamp)]) ?? false
    }

    /// The JSON bodies of the run's states, oldest first.
    static func stateBodies(_ db: Database, flowRunID: UUID) throws -> [Data] {
        try Data.fetchAll(
            db, sql: "SELECT body FROM flow_run_state WHERE flow_run_id = ? ORDER BY timestamp",
            arguments: [flowRunID.prefectString])
    }

    static func stateBody(_ db: Database, id: UUID) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT body FROM flow_run_state WHERE id = ?", arguments: [id.prefectString])
    }

    private static func decode(_ body: Data, now: Date) throws -> FlowRun {
        var run = try PrefectJSON.decode(FlowRun.self, from: body)
        run.computeEstimates(now: now)
        return run
    }

    /// Prefect's `FlowRunSort.as_sql_sort`; the default is `ID_DESC`.
    static func order(_ sort: FlowRunSort?) -> String {
        switch sort ?? .idDesc {
        case .startTimeAsc: "COALESCE(flow_run.start_time, flow_run.expected_start_time) ASC"
        case .startTimeDesc: "COALESCE(flow_run.start_time, flow_run.expected_start_time) DESC"
        case .expectedStartTimeAsc: "flow_run.expected_start_time ASC"
        case .expectedStartTimeDesc: "flow_run.expected_start_time DESC"
        case .nameAsc: "flow_run.name ASC"
        case .nameDesc: "flow_run.name DESC"
        case .nextScheduledStartTimeAsc: "flow_run.next_scheduled_start_time ASC"
        case .endTimeDesc: "flow_run.end_time DESC"
        default: "flow_run.id DESC"
        }
    }
}
