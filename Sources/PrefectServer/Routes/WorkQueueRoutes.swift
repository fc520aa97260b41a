import Foundation
import HTTPTypes
import Hummingbird
import PrefectSchemas

/// `/work_queues` (Prefect's `api/work_queues.py`): queues by id, the legacy name lookup,
/// polling for runs, status and concurrency status.
enum WorkQueueRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let queues = api.group("work_queues")

        queues.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await WorkPoolBodies.queueCreate(from: request)
            let queue = try await env.write { db in
                var queue = try LegacyQueues.create(db, create, now: clock.now)
                if queue.concurrencyLimit != nil { queue.activeSlots = 0 }
                return queue
            }
            return JSONResponse.make(queue, status: .created)
        }

        queues.get("name/:name") { _, context -> Response in
            let name = try context.string("name")
            return JSONResponse.make(try await env.read { db in
                guard let queue = try WorkQueueStore.read(db, legacyName: name) else { throw APIError.notFound("work queue not found") }
                return try WorkQueueStore.withActiveSlots(db, [queue])[0]
            })
        }

        queues.get(":id") { _, context -> Response in
            let id = try context.uuid("id")
            return JSONResponse.make(try await env.read { db in
                guard let queue = try WorkQueueStore.read(db, id: id) else { throw APIError.notFound("work queue not found") }
                return try WorkQueueStore.withActiveSlots(db, [queue])[0]
            })
        }

        queues.patch(":id") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let changes = try await WorkPoolBodies.queueChanges(from: request)
            guard try await env.write({ try WorkQueueStore.update($0, id: id, changes, now: clock.now) }) else {
                throw APIError.notFound("Work Queue \(id.prefectString) not found")
            }
            return JSONResponse.noContent()
        }

        queues.delete(":id") { request, context -> Response in
            let clock = RequestClock(request)
            let id = try context.uuid("id")
            guard try await env.write({ try WorkQueueStore.delete($0, id: id, now: clock.now) }) else { throw APIError.notFound("work queue not found") }
            return JSONResponse.noContent()
        }

        queues.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(WorkQueueFilterBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                try WorkQueueStore.withActiveSlots(db, WorkQueueStore.filter(db, poolID: nil, body.workQueues, page: page))
            })
        }

        queues.post(":id/get_runs") { request, context -> Response in
            let id = try context.uuid("id")
            let clock = RequestClock(request)
            let body = try await APIBody.decodeFilter(ScheduledRunsBody.self, from: request)
            let limit = try Paging.page(limit: body.limit, offset: nil).limit
            let fromUI = uiHeader.flatMap { request.headers[$0] }.map { ["true", "1", "yes", "on"].contains($0.lowercased()) } ?? false
            let runs = try await env.write { db -> Data in
                guard let queue = try WorkQueueStore.read(db, id: id) else {
                    throw APIError.objectNotFound("Work queue with id \(id.prefectString) not found.")
                }
                let runs = try ScheduledFlowRuns.forQueue(db, queue, limit: limit, scheduledBefore: body.scheduledBefore, now: clock.now)
                if !fromUI {
                    try WorkQueueStore.markPolled(db, ids: [id], now: clock.now)
                    try DeploymentStore.markReady(db, queueIDs: [id], now: clock.now)
                }
                return runs
            }
            return JSONResponse.raw(runs)
        }

        queues.get(":id/status") { _, context -> Response in
            let id = try context.uuid("id")
            return JSONResponse.make(try await env.read { db in
                guard let queue = try WorkQueueStore.read(db, id: id) else {
                    throw APIError.objectNotFound("Work queue with id \(id.prefectString) not found")
                }
                return try LegacyQueues.status(db, queue, now: Date())
            })
        }

        queues.post(":id/concurrency_status") { request, context -> Response in
            let id = try context.uuid("id")
            let body = try await APIBody.decodeFilter(ConcurrencyStatusBody.self, from: request)
            let page = try body.validated()
            return JSONResponse.make(try await env.read { db in
                guard let queue = try WorkQueueStore.read(db, id: id) else { throw APIError.notFound("Work queue not found.") }
                return try SlotHolders.queueStatus(db, queue: queue, page: page, now: Date())
            })
        }
    }
}

/// `X-Prefect-UI`: a poll from the UI does not count as the queue being polled.
private let uiHeader = HTTPField.Name("x-prefect-ui")
