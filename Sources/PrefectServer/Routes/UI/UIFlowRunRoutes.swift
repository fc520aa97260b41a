import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/ui/flow_runs` (Prefect's `api/ui/flow_runs.py`): the runs chart and task-run counts.
enum UIFlowRunRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let runs = api.group("ui/flow_runs")

        runs.post("history") { request, _ -> Response in
            let now = RequestClock(request).now
            let body = try await APIBody.decodeFilter(RunFilterBody<FlowRunSort>.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = Page(limit: body.limit ?? 1000, offset: body.offset ?? 0)
            let json = try await env.read { db in
                try RunJSON.filter(
                    db, table: "flow_run", condition: body.query.flowRunCondition(),
                    order: FlowRunStore.order(body.sort ?? .expectedStartTimeDesc), page: page, now: now)
            }
            guard case .array(let found) = try PrefectJSON.decode(JSONValue.self, from: json) else { return JSONResponse.raw(Data("[]".utf8)) }
            // Prefect's SimpleFlowRun: the start, or the expected start before the run started.
            let simple = found.compactMap { run -> JSONValue? in
                guard case .object(let run) = run else { return nil }
                let started = run["start_time"] ?? .null
                let start = started != .null ? started : run["expected_start_time"] ?? .null
                return .object(JSONObject([
                    ("id", run["id"] ?? .null), ("state_type", run["state_type"] ?? .null), ("timestamp", start),
                    ("duration", run["estimated_run_time"] ?? .double(0)), ("lateness", run["estimated_start_time_delta"] ?? .double(0)),
                ]))
            }
            return JSONResponse.make(JSONValue.array(simple))
        }

        runs.post("count-task-runs") { request, _ -> Response in
            let ids = try await UIRouteBodies.ids(request, key: "flow_run_ids")
            let counts = try await env.read { db in
                let condition = SQLCondition.isIn("task_run.flow_run_id", ids)
                // A task run standing for a subflow is not counted (Prefect's `subflow_run.has()`).
                return try UIRouteBodies.counts(
                    db,
                    sql: """
                        SELECT task_run.flow_run_id AS id, COUNT(*) AS n FROM task_run
                        WHERE \(condition.sql)
                          AND NOT EXISTS (SELECT 1 FROM flow_run WHERE flow_run.parent_task_run_id = task_run.id)
                        GROUP BY task_run.flow_run_id
                        """,
                    condition)
            }
            return JSONResponse.make(UIRouteBodies.countsAnswer(ids, counts))
        }
    }
}
