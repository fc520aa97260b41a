import Foundation
import Hummingbird
import PrefectSchemas

/// `/flow_runs/{id}/input` (Prefect's input routes in `api/flow_runs.py`).
enum FlowRunInputRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let runs = api.group("flow_runs")

        runs.post(":id/input") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let body = try await APIBody.decode(InputCreateBody.self, from: request)
            // `core.FlowRunInput`'s key check (Prefect builds the model inside the route and
            // answers its error as a 500; the embedded server answers it as the 422 it is).
            guard body.key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                throw APIError.validation(
                    [APIError.validationEntry(
                        type: "value_error", loc: ["body", "key"],
                        msg: "Value error, value must only contain lowercase letters, numbers, and dashes.", input: .string(body.key))],
                    requestBody: .null)
            }
            let outcome = try await env.write {
                try FlowRunInputStore.create($0, flowRunID: id, key: body.key, value: body.value, sender: body.sender, now: clock.now)
            }
            switch outcome {
            case .created: return JSONResponse.make(JSONValue.null, status: .created)
            case .keyTaken: throw APIError.detail(.conflict, "A flow run input with this key already exists.")
            case .noSuchFlowRun: throw APIError.notFound("Flow run not found")
            }
        }

        runs.get(":id/input/:key") { _, context -> Response in
            let id = try context.uuid("id")
            let key = try context.string("key")
            guard let input = try await env.read({ try FlowRunInputStore.read($0, flowRunID: id, key: key) }) else {
                throw APIError.notFound("Flow run input not found")
            }
            return JSONResponse.text(input.value)
        }

        runs.post(":id/input/filter") { request, context -> Response in
            let id = try context.uuid("id")
            let body = try await APIBody.decode(InputFilterBody.self, from: request)
            let bodies = try await env.read {
                try FlowRunInputStore.filter($0, flowRunID: id, prefix: body.prefix, limit: body.limit, excludeKeys: body.excludeKeys)
            }
            return JSONResponse.raw(BodyList.join(bodies))
        }

        runs.delete(":id/input/:key") { _, context -> Response in
            let id = try context.uuid("id")
            let key = try context.string("key")
            guard try await env.write({ try FlowRunInputStore.delete($0, flowRunID: id, key: key) }) else {
                throw APIError.notFound("Flow run input not found")
            }
            return JSONResponse.noContent()
        }
    }
}

struct InputCreateBody: Decodable, Sendable {
    var key: String
    var value: String
    var sender: String?
}

struct InputFilterBody: Decodable, Sendable {
    var prefix: String
    var limit: Int
    var excludeKeys: [String]

    enum CodingKeys: String, CodingKey {
        case prefix, limit
        case excludeKeys = "exclude_keys"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prefix = try container.decode(String.self, forKey: .prefix)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 1
        excludeKeys = try container.decodeIfPresent([String].self, forKey: .excludeKeys) ?? []
    }
}
