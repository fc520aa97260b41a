import Foundation
import GRDB
import Hummingbird
import PrefectSchemas

/// `/artifacts` (Prefect's `api/artifacts.py`): artifacts by id, the latest of each key, filters
/// and counts of both, updates and deletes.
enum ArtifactRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let artifacts = api.group("artifacts")

        artifacts.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await ArtifactBodies.create(from: request)
            let created = try await env.write { try ArtifactStore.create($0, create, now: clock.now) }
            return JSONResponse.make(created, status: .created)
        }

        artifacts.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            return JSONResponse.make(try found(await env.read { try ArtifactStore.read($0, id: id) }))
        }

        artifacts.get(":id/latest") { _, context -> Response in
            let key = try context.string("id")
            return JSONResponse.make(try found(await env.read { try ArtifactStore.readLatest($0, key: key) }))
        }

        artifacts.post("filter") { request, _ -> Response in
            try await filter(request, env, ArtifactFilter.self)
        }

        artifacts.post("latest/filter") { request, _ -> Response in
            try await filter(request, env, ArtifactCollectionFilter.self)
        }

        artifacts.post("count") { request, _ -> Response in
            try await count(request, env, ArtifactFilter.self)
        }

        artifacts.post("latest/count") { request, _ -> Response in
            try await count(request, env, ArtifactCollectionFilter.self)
        }

        artifacts.patch(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            let changes = try await ArtifactBodies.changes(from: request)
            guard try await env.write({ try ArtifactStore.update($0, id: id, changes, now: clock.now) }) else { throw notFound }
            return JSONResponse.noContent()
        }

        artifacts.delete(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            guard try await env.write({ try ArtifactStore.delete($0, id: id, now: clock.now) }) else { throw notFound }
            return JSONResponse.noContent()
        }
    }

    static let notFound = APIError.notFound("Artifact not found.")

    private static func found(_ artifact: JSONValue?) throws -> JSONValue {
        guard let artifact else { throw notFound }
        return artifact
    }

    private static func filter<Filter: ArtifactTableFilter>(
        _ request: Request, _ env: RouteEnvironment, _ filter: Filter.Type
    ) async throws -> Response {
        let query = try APIBody.decode(ArtifactQuery<Filter>.self, from: try await ArtifactBodies.filterData(from: request))
        let sort = query.sort ?? "ID_DESC"
        guard let order = ArtifactOrder.sql(sort) else {
            throw APIError.validation(
                [APIError.validationEntry(
                    type: "enum", loc: ["body", "sort"], msg: "Input should be \(ActionBody.alternatives(ArtifactOrder.all))",
                    input: .string(sort))],
                requestBody: .null)
        }
        let page = try Paging.page(limit: query.limit, offset: query.offset)
        let rows = try await env.read { try ArtifactStore.filter($0, Filter.table, query.condition(), order: order, page: page) }
        return JSONResponse.make(JSONValue.array(rows))
    }

    private static func count<Filter: ArtifactTableFilter>(
        _ request: Request, _ env: RouteEnvironment, _ filter: Filter.Type
    ) async throws -> Response {
        let query = try APIBody.decode(ArtifactQuery<Filter>.self, from: try await ArtifactBodies.filterData(from: request))
        return JSONResponse.make(try await env.read { try ArtifactStore.count($0, Filter.table, query.condition()) })
    }
}
