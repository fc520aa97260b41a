import Foundation
import Hummingbird
import PrefectSchemas

/// `/saved_searches` (Prefect's `api/saved_searches.py`): the UI's named filter sets.
enum SavedSearchRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let searches = api.group("saved_searches")

        searches.put("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let body = try await APIBody.decodeChecked(JSONValue.self, from: request)
            let name = body["name"]?.stringValue ?? ""
            let filters = body["filters"] ?? .array([])
            let (search, created) = try await env.write { try SavedSearchStore.upsert($0, name: name, filters: filters, now: clock.now) }
            return JSONResponse.make(search, status: created ? .created : .ok)
        }

        searches.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard let search = try await env.read({ try SavedSearchStore.read($0, id: id) }) else {
                throw APIError.notFound("Saved search not found")
            }
            return JSONResponse.make(search)
        }

        searches.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(RunFilterBody<FlowSort>.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(JSONValue.array(try await env.read { try SavedSearchStore.filter($0, page: page) }))
        }

        searches.delete(":id") { _, context -> Response in
            let id = try context.uuid("id")
            guard try await env.write({ try SavedSearchStore.delete($0, id: id) }) else {
                throw APIError.notFound("Saved search not found")
            }
            return JSONResponse.noContent()
        }
    }
}
