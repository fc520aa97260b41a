import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/ui/flows` (Prefect's `api/ui/flows.py`): what the UI's flow list shows beside each flow.
enum UIFlowRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let flows = api.group("ui/flows")

        flows.post("count-deployments") { request, _ -> Response in
            let ids = try await UIRouteBodies.ids(request, key: "flow_ids")
            let counts = try await env.read { db in
                let condition = SQLCondition.isIn("flow_id", ids)
                return try UIRouteBodies.counts(
                    db, sql: "SELECT flow_id AS id, COUNT(*) AS n FROM deployment WHERE \(condition.sql) GROUP BY flow_id", condition)
            }
            return JSONResponse.make(UIRouteBodies.countsAnswer(ids, counts))
        }

        flows.post("next-runs") { request, _ -> Response in
            let ids = try await UIRouteBodies.ids(request, key: "flow_ids")
            let next = try await env.read { db in
                let condition = SQLCondition.isIn("flow_id", ids)
                // Prefect's SQLite query: each flow's Scheduled runs at their earliest next start.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        WITH min_times AS (
                            SELECT flow_id, MIN(next_scheduled_start_time) AS earliest FROM flow_run
                            WHERE \(condition.sql) AND state_type = 'SCHEDULED' GROUP BY flow_id)
                        SELECT fr.id, fr.name, fr.flow_id, fr.state_name, fr.state_type, fr.next_scheduled_start_time
                        FROM flow_run fr JOIN min_times mt ON fr.flow_id = mt.flow_id AND fr.next_scheduled_start_time = mt.earliest
                        WHERE fr.state_type = 'SCHEDULED'
                        """,
                    arguments: condition.statementArguments)
                var byFlow: [String: JSONValue] = [:]
                for row in rows {
                    let flowID: String = row["flow_id"] ?? ""
                    byFlow[flowID] = nextRun(row, flowID: flowID)
                }
                return byFlow
            }
            return JSONResponse.make(JSONValue.object(JSONObject(ids.map { ($0.prefectString, next[$0.prefectString] ?? .null) })))
        }
    }
}

extension UIFlowRoutes {
    /// Prefect's `SimpleNextFlowRun`.
    static func nextRun(_ row: Row, flowID: String) -> JSONValue {
        let id: String = row["id"] ?? ""
        let name: String = row["name"] ?? ""
        let stateName: String = row["state_name"] ?? ""
        let stateType: String = row["state_type"] ?? ""
        let micros: Int64? = row["next_scheduled_start_time"]
        let start: JSONValue = micros.map { JSONValue.string(PrefectDate.format(StoredTime.date($0))) } ?? .null
        let members: [(String, JSONValue)] = [
            ("id", .string(id)), ("flow_id", .string(flowID)), ("name", .string(name)),
            ("state_name", .string(stateName)), ("state_type", .string(stateType)), ("next_scheduled_start_time", start),
        ]
        return .object(JSONObject(members))
    }
}

/// The bodies the UI routes share.
enum UIRouteBodies {
    /// An embedded list of ids (`Body(embed=True, max_length=200)`), checked against Prefect's
    /// schema for the route; each id once, in the order first sent, as a Python `dict` keeps them.
    static func ids(_ request: Request, key: String) async throws -> [UUID] {
        let body = try await APIBody.decodeFilter([String: [String]].self, from: request)
        var seen = Set<UUID>()
        return (body[key] ?? []).compactMap(UUIDText.parse).filter { seen.insert($0).inserted }
    }

    /// The counts a query of `id` and `n` columns gives, by id.
    static func counts(_ db: Database, sql: String, _ condition: SQLCondition) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: condition.statementArguments) {
            counts[row["id"] ?? ""] = row["n"] ?? 0
        }
        return counts
    }

    /// `{id: count}` for each id asked for, in the order asked, 0 for those not counted.
    static func countsAnswer(_ ids: [UUID], _ counts: [String: Int64]) -> JSONValue {
        .object(JSONObject(ids.map { ($0.prefectString, .int(counts[$0.prefectString] ?? 0)) }))
    }
}
