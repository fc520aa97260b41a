import Foundation
import Hummingbird
import PrefectSchemas

/// `GET /flow_runs/{id}/graph-v2` (Prefect's `api/flow_runs.py`): the run graph the UI draws.
enum FlowRunGraphRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        api.get("flow_runs/:id/graph-v2") { request, context -> Response in
            let id = try context.uuid("id")
            let since = try sinceParameter(request)
            let graph: JSONValue?
            do {
                graph = try await env.read { try FlowRunGraph.read($0, flowRunID: id, since: since) }
            } catch let error as FlowRunGraph.TooLarge {
                throw APIError.detail(.badRequest, error.message)
            }
            guard let graph else {
                return JSONResponse.make(["exception_message": "Flow run \(id.prefectString) not found"], status: .notFound)
            }
            return JSONResponse.make(graph)
        }
    }

    /// `since` as pydantic reads a `datetime` query parameter, with its reasons for refusing one.
    static func sinceParameter(_ request: Request) throws -> Date {
        guard let text = request.uri.queryParameters.get("since") else { return FlowRunGraph.beginning }
        // A space separates the date from the time, nowhere else (a `+` sent unencoded arrives as one).
        if !text.dropFirst(11).contains(" "), let date = PrefectDate.parse(text) { return date }
        let characters = Array(text)
        let reason: String
        if characters.count < 10 {
            reason = "input is too short"
        } else if !JSONSchemaFormats.isDate(String(characters[0..<10])) {
            reason = "invalid character in year"
        } else {
            // pydantic falls back to a date, and a date is over after its tenth character.
            reason = "unexpected extra characters at the end of the input"
        }
        throw APIError.validation(
            [APIError.validationEntry(
                type: "datetime_from_date_parsing", loc: ["query", "since"], msg: "Input should be a valid datetime or date, \(reason)",
                input: .string(text))],
            requestBody: .null)
    }
}

