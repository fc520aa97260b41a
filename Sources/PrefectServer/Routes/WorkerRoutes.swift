import Foundation
import Hummingbird
import PrefectSchemas

/// `/work_pools/{work_pool_name}/workers` (Prefect's `api/workers.py`, the worker part).
enum WorkerRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let workers = api.group("work_pools/:name/workers")

        workers.post("heartbeat") { request, context -> Response in
            let pool = try context.string("name")
            let clock = RequestClock(request)
            let body = try await APIBody.decode(HeartbeatBody.self, from: request)
            try await env.write { db in
                try WorkerStore.heartbeat(
                    db, pool: WorkPoolStore.named(db, pool), name: body.name, intervalSeconds: body.heartbeatIntervalSeconds,
                    now: clock.now)
            }
            return JSONResponse.noContent()
        }

        workers.post("filter") { request, context -> Response in
            let pool = try context.string("name")
            let body = try await APIBody.decodeFilter(WorkerFilterBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                try WorkerStore.filter(db, poolID: WorkPoolStore.named(db, pool).id, body.workers, page: page)
            })
        }

        workers.delete(":worker") { _, context -> Response in
            let pool = try context.string("name")
            let name = try context.string("worker")
            try await env.write { db in
                guard try WorkerStore.delete(db, poolID: WorkPoolStore.named(db, pool).id, name: name) else {
                    throw APIError.notFound("Worker not found.")
                }
            }
            return JSONResponse.noContent()
        }
    }
}

/// The embedded body of `POST /work_pools/{name}/workers/heartbeat` (other members are ignored,
/// as FastAPI ignores them).
struct HeartbeatBody: EmbeddedBodyParameters, Sendable {
    var name: String
    var heartbeatIntervalSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case name
        case heartbeatIntervalSeconds = "heartbeat_interval_seconds"
    }

    /// The interval as pydantic's lax `int` takes it: `30` or `30.0`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        heartbeatIntervalSeconds = try container.decodeIfPresent(Double.self, forKey: .heartbeatIntervalSeconds).flatMap { Int(exactly: $0) }
    }
}
