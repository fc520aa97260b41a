import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/ui/task_runs` (Prefect's `api/ui/task_runs.py`): counts by state, the dashboard's
/// completed/failed chart, and a task run with its flow run's name.
enum UITaskRunRoutes {
    /// `CountByState`'s members, in Prefect's order.
    static let countedStates = ["COMPLETED", "PENDING", "RUNNING", "FAILED", "CANCELLED", "CRASHED", "PAUSED", "CANCELLING", "SCHEDULED"]
    static let failedStates: Set<String> = ["CRASHED", "FAILED"]
    static let bucketCount = 20

    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let runs = api.group("ui/task_runs")

        runs.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(RunFilterBody<TaskRunSort>.self, from: request)
            let query = RunQuery(flows: body.flows, flowRuns: body.flowRuns, taskRuns: body.taskRuns, deployments: body.deployments)
            let counts = try await env.read { db in
                let condition = query.taskRunCondition()
                return try Dictionary(
                    Row.fetchAll(
                        db, sql: "SELECT state_type, COUNT(*) AS n FROM task_run WHERE \(condition?.sql ?? "1") GROUP BY state_type",
                        arguments: condition?.statementArguments ?? []
                    ).map { (row: Row) -> (String, Int64) in (row["state_type"] ?? "", row["n"] ?? 0) },
                    uniquingKeysWith: { first, _ in first })
            }
            return JSONResponse.make(JSONValue.object(JSONObject(countedStates.map { ($0, .int(counts[$0] ?? 0)) })))
        }

        runs.post("dashboard/counts") { request, _ -> Response in
            let now = RequestClock(request).now
            var body = try await APIBody.decodeFilter(RunFilterBody<TaskRunSort>.self, from: request)
            guard var taskRuns = body.taskRuns, let after = taskRuns.filter.startTime?.after else {
                throw APIError.detail(.unprocessableContent, "task_runs.start_time.after_ is required")
            }
            // Only runs in a terminal state count, whatever state the request asked for.
            taskRuns.filter.state = TaskRunFilterState(type: TaskRunFilterStateType(any: [.completed, .failed, .cancelled, .crashed]))
            body.taskRuns = taskRuns
            let start = minuteStart(after)
            let end = minuteStart(taskRuns.filter.startTime?.before ?? now).addingTimeInterval(60 - 1e-6)
            let delta = end.timeIntervalSince(start) / Double(bucketCount)
            let query = body.query
            let rows = try await env.read { db in
                let condition = query.taskRunCondition()
                return try Row.fetchAll(
                    db, sql: "SELECT start_time, state_type FROM task_run WHERE \(condition?.sql ?? "1")",
                    arguments: condition?.statementArguments ?? []
                ).map { (row: Row) -> (start: Int64?, state: String) in (row["start_time"], row["state_type"] ?? "") }
            }
            var completed = [Int64](repeating: 0, count: bucketCount)
            var failed = [Int64](repeating: 0, count: bucketCount)
            for row in rows {
                guard let micros = row.start, delta > 0 else { continue }
                let offset = StoredTime.date(micros).timeIntervalSince(start) / delta
                guard offset.isFinite, offset >= 0, offset < Double(bucketCount) else { continue }
                let index = Int(offset.rounded(.down))
                if failedStates.contains(row.state) { failed[index] += 1 } else { completed[index] += 1 }
            }
            let buckets = (0..<bucketCount).map { JSONValue.object(JSONObject([("completed", .int(completed[$0])), ("failed", .int(failed[$0]))])) }
            return JSONResponse.make(JSONValue.array(buckets))
        }

        runs.get(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let now = RequestClock(request).now
            let found = try await env.read { db -> (Data, String?)? in
                guard let json = try TaskRunStore.readJSON(db, id: id, now: now) else { return nil }
                let name = try String.fetchOne(
                    db, sql: "SELECT flow_run.name FROM task_run JOIN flow_run ON flow_run.id = task_run.flow_run_id WHERE task_run.id = ?",
                    arguments: [id.prefectString])
                return (json, name)
            }
            guard let (json, name) = found, case .object(var run) = try PrefectJSON.decode(JSONValue.self, from: json) else {
                throw APIError.notFound("Task not found")
            }
            run["flow_run_name"] = name.map(JSONValue.string) ?? .null
            return JSONResponse.make(JSONValue.object(run))
        }
    }

    /// `date` without its seconds (`replace(second=0, microsecond=0)`).
    static func minuteStart(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
    }
}
