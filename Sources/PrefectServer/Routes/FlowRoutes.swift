import Foundation
import Hummingbird
import PrefectSchemas

/// `/flows` (Prefect's `api/flows.py`).
enum FlowRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let flows = api.group("flows")

        flows.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await APIBody.decode(FlowCreate.self, from: request, rules: StrictBodies.flowCreate)
            if let error = ActionBody.nameError(create.name, loc: ["body", "name"]) { throw APIError.validation([error], requestBody: .null) }
            let (flow, created) = try await env.write { try FlowStore.create($0, create, now: clock.now) }
            return JSONResponse.make(flow, status: created ? .created : .ok)
        }

        flows.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard let flow = try await env.read({ try FlowStore.read($0, id: id) }) else { throw APIError.notFound("Flow not found") }
            return JSONResponse.make(flow)
        }

        flows.get("name/:name") { _, context -> Response in
            let name = try context.string("name")
            guard let flow = try await env.read({ try FlowStore.read($0, name: name) }) else {
                throw APIError.notFound("Flow not found")
            }
            return JSONResponse.make(flow)
        }

        flows.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(RunFilterBody<FlowSort>.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            let bodies = try await env.read { try FlowStore.filter($0, body.query, sort: body.sort, page: page) }
            return JSONResponse.raw(BodyList.join(bodies))
        }

        flows.post("paginate") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(RunFilterBody<FlowSort>.self, from: request)
            try Paging.checkSort(body.sort) { if case .unknown = $0 { true } else { false } }
            let (page, number) = try Paging.numbered(limit: body.limit, page: body.page)
            let (bodies, count) = try await env.read { db in
                (try FlowStore.filter(db, body.query, sort: body.sort, page: page), try FlowStore.count(db, body.query))
            }
            return JSONResponse.raw(Paging.answer(results: BodyList.join(bodies), count: count, page: page, number: number))
        }

        flows.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(RunFilterBody<FlowSort>.self, from: request)
            return JSONResponse.make(try await env.read { try FlowStore.count($0, body.query) })
        }

        flows.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let update = try await APIBody.decode(FlowUpdate.self, from: request, rules: StrictBodies.flowUpdate)
            guard try await env.write({ try FlowStore.update($0, id: id, update, now: clock.now) }) else {
                throw APIError.notFound("Flow not found")
            }
            return JSONResponse.noContent()
        }

        flows.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard try await env.write({ try FlowStore.delete($0, id: id, now: clock.now) }) else { throw APIError.notFound("Flow not found") }
            return JSONResponse.noContent()
        }
    }
}
