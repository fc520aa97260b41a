import Foundation
import GRDB
import PrefectSchemas

/// Runs as the database keeps them and as the API answers them.
///
/// Prefect computes `estimated_run_time` and `estimated_start_time_delta` when it reads a run
/// (they grow while a run is running or late). The body column holds the run's JSON without
/// them; an answer writes them first, computed from columns, then the stored bytes — so lists of
/// runs are answered without decoding a single run.
enum RunJSON {
    static let estimateKeys: Set<String> = ["estimated_run_time", "estimated_start_time_delta"]

    /// The columns a read needs besides the body, in this order, of `table`.
    static func estimateColumns(_ table: String) -> String {
        ["state_type", "state_timestamp", "total_run_time", "start_time", "expected_start_time"]
            .map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// The JSON stored for `run`: the server's encoding without the estimates.
    static func storedBody<Run: Encodable>(_ run: Run) throws -> Data {
        try PrefectJSON.removingTopLevelKeys(estimateKeys, from: ServerJSON.encode(run))
    }

    /// The API's JSON for a stored body: the estimates, then the stored members.
    static func answer(body: Data, estimates: RunEstimates, into out: inout Data) {
        out.append(contentsOf: #"{"estimated_run_time":"#.utf8)
        out.append(contentsOf: format(estimates.runTime).utf8)
        out.append(contentsOf: #","estimated_start_time_delta":"#.utf8)
        out.append(contentsOf: format(estimates.startTimeDelta).utf8)
        let members = body.dropFirst()
        if members.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: members)
    }

    static func answer(body: Data, estimates: RunEstimates) -> Data {
        var out = Data(capacity: body.count + 80)
        answer(body: body, estimates: estimates, into: &out)
        return out
    }

    /// A row of `body, state_type, state_timestamp, total_run_time, start_time, expected_start_time`,
    /// without the stored members `removing`. A body that is not a JSON object (a row written
    /// around the API) fails the read.
    static func answer(row: Row, now: Date, removing: Set<String> = [], into out: inout Data) throws {
        var body: Data = try row.decode(atIndex: 0) ?? Data("{}".utf8)
        guard body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else {
            throw StoredValueError(table: "run", column: "body")
        }
        if !removing.isEmpty { body = try PrefectJSON.removingTopLevelKeys(removing, from: body) }
        let estimates = RunEstimates(
            stateType: try row.decode(atIndex: 1), stateTimestamp: try row.decode(atIndex: 2), totalRunTime: try row.decode(atIndex: 3) ?? 0, startTime: try row.decode(atIndex: 4),
            expectedStartTime: try row.decode(atIndex: 5), now: StoredTime.micros(now))
        answer(body: body, estimates: estimates, into: &out)
    }

    /// The stored body of `table` as the read routes answer it. A flow run in a work queue gets
    /// its queue's current name and its pool (as `FlowRunResponse.model_validate(…,
    /// from_attributes=True)` fills them from the run's queue); ``runJoins(_:)`` must be joined.
    static func answeredBody(_ table: String) -> String {
        guard table == "flow_run" else { return "\(table).body" }
        return """
            CASE WHEN flow_run.work_queue_id IS NULL THEN flow_run.body ELSE CAST(json_set(CAST(flow_run.body AS TEXT),
                '$.work_queue_name', COALESCE(run_queue.name, flow_run.work_queue_name),
                '$.work_pool_id', run_pool.id, '$.work_pool_name', run_pool.name) AS BLOB) END
            """
    }

    /// The joins ``answeredBody(_:)`` reads.
    static func runJoins(_ table: String) -> String {
        guard table == "flow_run" else { return "" }
        return """
            LEFT JOIN work_queue AS run_queue ON run_queue.id = flow_run.work_queue_id
            LEFT JOIN work_pool AS run_pool ON run_pool.id = run_queue.work_pool_id
            """
    }

    /// The API's JSON for the run `id` of `table` (`flow_run`, `task_run`), estimates as of `now`.
    static func read(_ db: Database, table: String, id: UUID, now: Date) throws -> Data? {
        guard let row = try Row.fetchOne(
            db,
            sql: "SELECT \(answeredBody(table)), \(estimateColumns(table)) FROM \(table) \(runJoins(table)) WHERE \(table).id = ?",
            arguments: [id.prefectString])
        else { return nil }
        var out = Data()
        try answer(row: row, now: now, into: &out)
        return out
    }

    /// The API's JSON array of the runs of `table` matching `condition`, in `order`.
    static func filter(
        _ db: Database, table: String, condition: SQLCondition?, order: String, page: Page, now: Date
    ) throws -> Data {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(answeredBody(table)), \(estimateColumns(table)) FROM \(table) \(runJoins(table))
                WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page.sql)
                """,
            arguments: condition?.statementArguments ?? [])
        return try array(rows, now: now)
    }

    /// The API's JSON array for rows of `body` and ``estimateColumns(_:)``.
    static func array(_ rows: RowCursor, now: Date) throws -> Data {
        var out = Data([UInt8(ascii: "[")])
        var first = true
        while let row = try rows.next() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            try answer(row: row, now: now, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// Seconds with microsecond precision, as Prefect's `timedelta` serialises them.
    private static func format(_ seconds: Double) -> String {
        // An infinite total run time can only come from a row written around the API.
        seconds == 0 || !seconds.isFinite ? "0.0" : String(seconds)
    }
}

/// Prefect's read-time estimates (its ORM `Run.estimated_run_time` and
/// `estimated_start_time_delta`), from microsecond columns. The differences are taken in
/// floating point: a stored time at either end of `Int64` cannot overflow them.
struct RunEstimates: Equatable {
    var runTime: Double
    var startTimeDelta: Double

    init(runTime: Double, startTimeDelta: Double) {
        self.runTime = runTime
        self.startTimeDelta = startTimeDelta
    }

    init(stateType: String?, stateTimestamp: Int64?, totalRunTime: Double, startTime: Int64?, expectedStartTime: Int64?, now: Int64) {
        if stateType == StateType.running.rawValue, let since = stateTimestamp {
            runTime = totalRunTime + (Double(now) - Double(since)) / 1_000_000
        } else {
            runTime = totalRunTime
        }
        let isFinal = stateType.map { StateType(rawValue: $0).isFinal } ?? false
        if let startTime, let expectedStartTime, startTime > expectedStartTime {
            startTimeDelta = (Double(startTime) - Double(expectedStartTime)) / 1_000_000
        } else if startTime == nil, let expectedStartTime, expectedStartTime < now, !isFinal {
            startTimeDelta = (Double(now) - Double(expectedStartTime)) / 1_000_000
        } else {
            startTimeDelta = 0
        }
    }

    init<Run: OrchestratedRun>(_ run: Run, now: Date) {
        self.init(
            stateType: run.stateType?.rawValue, stateTimestamp: run.state.map { StoredTime.micros($0.timestamp) },
            totalRunTime: run.totalRunTime, startTime: StoredTime.optionalMicros(run.startTime),
            expectedStartTime: StoredTime.optionalMicros(run.expectedStartTime), now: StoredTime.micros(now))
    }
}
