import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/flow_runs/history`, `/task_runs/history` (Prefect's `api/run_history.py`) and
/// `/flow_runs/lateness` (`api/flow_runs.py`): runs counted by interval and state.
enum RunHistoryRoutes {
    static let terminalStates = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]
    /// Prefect answers at most this many intervals.
    static let maximumIntervals = 500

    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        for table in ["flow_run", "task_run"] {
            api.post("\(table)s/history") { request, _ -> Response in
                try await history(request, table: table, env: env)
            }
        }

        api.post("flow_runs/lateness") { request, _ -> Response in
            let now = RequestClock(request).now
            let body = try await APIBody.decodeFilter(RunFilterBody<FlowRunSort>.self, from: request)
            let query = body.query
            let seconds = StoredTime.micros(now) / 1_000_000
            // Prefect's SQLite expression: whole seconds late, for runs started late or not started
            // yet (and not finished) past their expected start; 0 for the rest.
            let average = try await env.read { db in
                let condition = query.flowRunCondition()
                return try Double.fetchOne(
                    db,
                    sql: """
                        SELECT AVG(CASE
                            WHEN start_time > expected_start_time THEN start_time / 1000000 - expected_start_time / 1000000
                            WHEN start_time IS NULL AND state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')
                                 AND expected_start_time < ? THEN ? - expected_start_time / 1000000
                            ELSE 0 END)
                        FROM flow_run WHERE \(condition?.sql ?? "1")
                        """,
                    arguments: StatementArguments([StoredTime.micros(now), seconds]) + (condition?.statementArguments ?? []))
            }
            return JSONResponse.make(average.map(JSONValue.double) ?? .null)
        }
    }

    private static func number(_ value: JSONValue?) -> Double {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: 0
        }
    }

    /// Runs whose expected start falls in `[history_start, history_end)`, counted by interval of
    /// `history_interval_seconds` (at most 500) and by state, with their run times and lateness
    /// summed (negative ones as 0).
    static func history(_ request: Request, table: String, env: RouteEnvironment) async throws -> Response {
        let now = RequestClock(request).now
        let data = try await APIBody.read(request)
        var fields = try ActionBody.parse(data, allowed: nil)
        fields.require("history_start", "history_end", "history_interval_seconds")
        fields.checkType("history_interval_seconds", .number)
        try fields.throwErrors()
        let filters = try await APIBody.decodeFilter(RunFilterBody<FlowRunSort>.self, from: request)
        guard let start = fields.string("history_start").flatMap(PrefectDate.parse),
            let end = fields.string("history_end").flatMap(PrefectDate.parse)
        else {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "datetime_from_date_parsing", loc: ["body", "history_start"], msg: "Input should be a valid datetime",
                    input: fields.object["history_start"] ?? .null)],
                requestBody: APIBody.echo(data))
        }
        let interval: Double
        switch fields.object["history_interval_seconds"] {
        case .int(let value)?: interval = Double(value)
        case .double(let value)?: interval = value
        case .string(let text)?: interval = Double(text) ?? 0
        default: interval = 0
        }
        guard interval.isFinite, interval >= 1 else {
            throw APIError.detail(.unprocessableContent, "History interval must not be less than 1 second.")
        }
        let elapsed = end.timeIntervalSince(start)
        let count = elapsed > 0 ? min(Int(min((elapsed / interval).rounded(.up), Double(maximumIntervals))), maximumIntervals) : 0
        guard count > 0 else { return JSONResponse.raw(Data("[]".utf8)) }
        let queryEnd = start.addingTimeInterval(Double(count) * interval)
        let query = filters.query
        let json = try await env.read { db in
            var condition = SQLConditionList()
            condition.add(table == "flow_run" ? query.flowRunCondition() : query.taskRunCondition())
            condition.add(SQLCondition(
                sql: "\(table).expected_start_time >= ? AND \(table).expected_start_time < ?",
                arguments: [StoredTime.micros(start), StoredTime.micros(queryEnd)]))
            return try RunJSON.filter(
                db, table: table, condition: condition.combined(.and), order: "\(table).id", page: Page(limit: -1, offset: 0), now: now)
        }
        guard case .array(let runs) = try PrefectJSON.decode(JSONValue.self, from: json) else { return JSONResponse.raw(Data("[]".utf8)) }
        struct Group: Hashable { let bucket: Int; let type: String; let name: String }
        var groups: [Group: (count: Int64, runTime: Double, lateness: Double)] = [:]
        for case .object(let run) in runs {
            guard case .string(let expectedText)? = run["expected_start_time"], let expected = PrefectDate.parse(expectedText) else { continue }
            let offset = (expected.timeIntervalSince(start) / interval).rounded(.down)
            guard offset.isFinite, offset >= 0, offset < Double(count) else { continue }
            let key = Group(bucket: Int(offset), type: run["state_type"].flatMap { $0.stringValue } ?? "", name: run["state_name"].flatMap { $0.stringValue } ?? "")
            var sums = groups[key] ?? (0, 0, 0)
            sums.count += 1
            // Prefect on SQLite sums whole seconds (`extract('epoch', …)` is `strftime('%s', …)`).
            sums.runTime += max(0, number(run["estimated_run_time"]).rounded(.towardZero))
            sums.lateness += max(0, number(run["estimated_start_time_delta"]).rounded(.towardZero))
            groups[key] = sums
        }
        let intervals = (0..<count).map { index -> JSONValue in
            let states = groups.keys.filter { $0.bucket == index }.sorted { ($0.type, $0.name) < ($1.type, $1.name) }.map { key -> JSONValue in
                let sums = groups[key] ?? (0, 0, 0)
                return .object(JSONObject([
                    ("state_type", .string(key.type)), ("state_name", .string(key.name)), ("count_runs", .int(sums.count)),
                    ("sum_estimated_run_time", .double(sums.runTime)), ("sum_estimated_lateness", .double(sums.lateness)),
                ]))
            }
            return .object(JSONObject([
                ("interval_start", .string(PrefectDate.format(start.addingTimeInterval(Double(index) * interval)))),
                ("interval_end", .string(PrefectDate.format(start.addingTimeInterval(Double(index + 1) * interval)))),
                ("states", .array(states)),
            ]))
        }
        return JSONResponse.make(JSONValue.array(intervals))
    }
}
