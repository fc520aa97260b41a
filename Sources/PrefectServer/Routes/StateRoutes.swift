import Foundation
import Hummingbird
import PrefectSchemas

/// `/flow_run_states` and `/task_run_states` (Prefect's `api/flow_run_states.py` and
/// `api/task_run_states.py`).
enum StateRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        api.get("flow_run_states/") { request, _ -> Response in
            let id = try runID(request, "flow_run_id")
            return JSONResponse.raw(BodyList.join(try await env.read { try FlowRunStore.stateBodies($0, flowRunID: id) }))
        }
        api.get("flow_run_states/:id") { _, context -> Response in
            let id = try context.uuid("id")
            guard let body = try await env.read({ try FlowRunStore.stateBody($0, id: id) }) else {
                throw APIError.notFound("Flow run state not found")
            }
            return JSONResponse.raw(body)
        }
        api.get("task_run_states/") { request, _ -> Response in
            let id = try runID(request, "task_run_id")
            return JSONResponse.raw(BodyList.join(try await env.read { try TaskRunStore.stateBodies($0, taskRunID: id) }))
        }
        api.get("task_run_states/:id") { _, context -> Response in
            let id = try context.uuid("id")
            guard let body = try await env.read({ try TaskRunStore.stateBody($0, id: id) }) else {
                throw APIError.notFound("Flow run state not found")
            }
            return JSONResponse.raw(body)
        }
    }

    /// The required UUID query parameter `name`; missing or malformed is a 422 as in FastAPI.
    private static func runID(_ request: Request, _ name: String) throws -> UUID {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else {
            throw APIError.validation(
                [APIError.validationEntry(type: "missing", loc: ["query", .string(name)], msg: "Field required")],
                requestBody: .null)
        }
        guard let id = UUIDText.parse(text) else {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "uuid_parsing", loc: ["query", .string(name)], msg: UUIDParsingError.message(text), input: .string(text))],
                requestBody: .null)
        }
        return id
    }
}
