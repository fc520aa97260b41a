import Foundation
import Hummingbird
import PrefectSchemas

/// `/work_pools/{work_pool_name}/queues` (Prefect's `api/workers.py`, the work-pool-queue part).
enum WorkPoolQueueRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let queues = api.group("work_pools/:name/queues")

        queues.post("/") { request, context -> Response in
            let pool = try context.string("name")
            let clock = RequestClock(request)
            let create = try await WorkPoolBodies.queueCreate(from: request)
            let queue = try await env.write { db in
                let poolID = try WorkPoolStore.named(db, pool).id
                guard try WorkQueueStore.read(db, pool: pool, name: create.name) == nil else {
                    // Prefect 3.9.1's message is not an f-string: the braces are sent as they are.
                    throw APIError.detail(.conflict, "A work queue with this name already exists in work pool {work_pool_name!r}.")
                }
                var queue = try WorkQueueStore.create(db, poolID: poolID, create, now: clock.now)
                if queue.concurrencyLimit != nil { queue.activeSlots = 0 }
                return queue
            }
            return JSONResponse.make(queue, status: .created)
        }

        queues.get(":queue") { _, context -> Response in
            let pool = try context.string("name")
            let name = try context.string("queue")
            return JSONResponse.make(try await env.read { db in
                try WorkQueueStore.withActiveSlots(db, [WorkQueueStore.named(db, pool: pool, name: name)])[0]
            })
        }

        queues.post("filter") { request, context -> Response in
            let pool = try context.string("name")
            let body = try await APIBody.decodeFilter(WorkQueueFilterBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                let poolID = try WorkPoolStore.named(db, pool).id
                return try WorkQueueStore.withActiveSlots(db, WorkQueueStore.filter(db, poolID: poolID, body.workQueues, page: page))
            })
        }

        queues.patch(":queue") { request, context -> Response in
            let pool = try context.string("name")
            let name = try context.string("queue")
            let clock = RequestClock(request)
            let changes = try await WorkPoolBodies.queueChanges(from: request)
            try await env.write { db in
                _ = try WorkPoolStore.named(db, pool)
                _ = try WorkQueueStore.update(db, id: WorkQueueStore.named(db, pool: pool, name: name).id, changes, now: clock.now)
            }
            return JSONResponse.noContent()
        }

        queues.delete(":queue") { request, context -> Response in
            let clock = RequestClock(request)
            let pool = try context.string("name")
            let name = try context.string("queue")
            try await env.write { db in
                _ = try WorkPoolStore.named(db, pool)
                _ = try WorkQueueStore.delete(db, id: WorkQueueStore.named(db, pool: pool, name: name).id, now: clock.now)
            }
            return JSONResponse.noContent()
        }
    }
}
