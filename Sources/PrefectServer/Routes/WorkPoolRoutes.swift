import Foundation
import Hummingbird
import PrefectSchemas

/// `/work_pools` (Prefect's `api/workers.py`, the work-pool part): pools by name, their
/// concurrency status and the scheduled runs workers poll for.
enum WorkPoolRoutes {
    static func register(on api: RouterGroup<PrefectRequestContext>, _ env: RouteEnvironment) {
        let pools = api.group("work_pools")

        pools.post("/") { request, _ -> Response in
            let clock = RequestClock(request)
            let create = try await WorkPoolBodies.poolCreate(from: request)
            guard !WorkPoolStore.isReserved(create.name) else {
                throw APIError.detail(.forbidden, "Work pools starting with 'Prefect' are reserved for internal use.")
            }
            try await env.read { try JobVariableValidation.checkDefaults(create.baseJobTemplate, $0) }
            let pool = try await env.write { db in
                guard try WorkPoolStore.read(db, name: create.name) == nil else {
                    throw APIError.detail(.conflict, "A work pool with this name already exists.")
                }
                var pool = try WorkPoolStore.create(db, create, now: clock.now)
                if pool.concurrencyLimit != nil { pool.activeSlots = 0 }
                return pool
            }
            return JSONResponse.make(pool, status: .created)
        }

        pools.get(":name") { _, context -> Response in
            let name = try context.string("name")
            return JSONResponse.make(try await env.read { db in
                try WorkPoolStore.withActiveSlots(db, [WorkPoolStore.named(db, name)])[0]
            })
        }

        pools.post("filter") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(WorkPoolFilterBody.self, from: request)
            let page = try Paging.page(limit: body.limit, offset: body.offset)
            return JSONResponse.make(try await env.read { db in
                try WorkPoolStore.withActiveSlots(db, WorkPoolStore.filter(db, body.workPools, page: page))
            })
        }

        pools.post("count") { request, _ -> Response in
            let body = try await APIBody.decodeFilter(WorkPoolFilterBody.self, from: request)
            return JSONResponse.make(try await env.read { try WorkPoolStore.count($0, body.workPools) })
        }

        pools.patch(":name") { request, context -> Response in
            let name = try context.string("name")
            let clock = RequestClock(request)
            let changes = try await WorkPoolBodies.poolChanges(from: request)
            if WorkPoolStore.isReserved(name), !changes.members.isSubset(of: ["is_paused", "concurrency_limit"]) {
                throw APIError.detail(
                    .forbidden,
                    "Work pools starting with 'Prefect' are reserved for internal use and can only be updated to set concurrency limits or pause.")
            }
            let poolID = try await env.write { db in
                let pool = try WorkPoolStore.named(db, name)
                try WorkPoolStore.update(db, pool, changes, now: clock.now)
                return pool.id
            }
            if !changes.members.isDisjoint(with: WorkerChannelHub.snapshotFields) {
                env.database.workerChannels.publish(.init(poolID: poolID, reason: "work_pool_updated"))
            }
            return JSONResponse.noContent()
        }

        pools.delete(":name") { request, context -> Response in
            let clock = RequestClock(request)
            let name = try context.string("name")
            guard !WorkPoolStore.isReserved(name) else {
                throw APIError.detail(.forbidden, "Work pools starting with 'Prefect' are reserved for internal use and can not be deleted.")
            }
            let poolID = try await env.write { db in
                let id = try WorkPoolStore.named(db, name).id
                try WorkPoolStore.delete(db, id: id, now: clock.now)
                return id
            }
            env.database.workerChannels.publish(.init(poolID: poolID, reason: "work_pool_deleted", deleted: true))
            return JSONResponse.noContent()
        }

        pools.post(":name/concurrency_status") { request, context -> Response in
            let name = try context.string("name")
            let body = try await APIBody.decodeFilter(ConcurrencyStatusBody.self, from: request)
            let page = try body.validated()
            let status = try await env.read { db in
                guard let pool = try WorkPoolStore.read(db, name: name) else {
                    throw APIError.notFound("Work pool '\(name)' not found.")
                }
                return try SlotHolders.poolStatus(db, pool: pool, page: page, flowRunLimit: body.flowRunLimit ?? 10, now: Date())
            }
            return JSONResponse.make(status)
        }

        pools.post(":name/get_scheduled_flow_runs") { request, context -> Response in
            let name = try context.string("name")
            let clock = RequestClock(request)
            let body = try await APIBody.decodeFilter(ScheduledRunsBody.self, from: request)
            let limit = try Paging.page(limit: body.limit, offset: nil).limit
            let answer = try await env.write { db -> Data in
                let pool = try WorkPoolStore.named(db, name)
                // Named queues must exist (404 otherwise); without names every queue is polled.
                let queueIDs = try body.workQueueNames.flatMap { $0.isEmpty ? nil : $0 }?
                    .map { try WorkQueueStore.named(db, pool: name, name: $0).id }
                let runs = try ScheduledFlowRuns.forPools(
                    db, poolIDs: [pool.id], queueIDs: queueIDs, scheduledBefore: body.scheduledBefore,
                    scheduledAfter: body.scheduledAfter, limit: limit, now: clock.now)
                if let queueIDs {
                    try WorkQueueStore.markPolled(db, ids: queueIDs, now: clock.now)
                    try DeploymentStore.markReady(db, queueIDs: queueIDs, now: clock.now)
                } else {
                    try WorkQueueStore.markPolled(db, poolID: pool.id, now: clock.now)
                    try DeploymentStore.markReady(db, poolID: pool.id, now: clock.now)
                }
                return runs
            }
            return JSONResponse.raw(answer)
        }
    }
}

/// The body of `POST /work_pools/{name}/get_scheduled_flow_runs`.
struct ScheduledRunsBody: Decodable, Sendable {
    var workQueueNames: [String]?
    var scheduledBefore: Date?
    var scheduledAfter: Date?
    var limit: Int?

    enum CodingKeys: String, CodingKey {
        case workQueueNames = "work_queue_names"
        case scheduledBefore = "scheduled_before"
        case scheduledAfter = "scheduled_after"
        case limit
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        workQueueNames = try container.decodeIfPresent([String].self, forKey: .workQueueNames)
        scheduledBefore = try container.decodePrefectDateIfPresent(forKey: .scheduledBefore)
        scheduledAfter = try container.decodePrefectDateIfPresent(forKey: .scheduledAfter)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
    }
}

/// The body of the `concurrency_status` routes: `page` (from 1), `limit`, and for pools
/// `flow_run_limit` (0…200 runs per queue).
struct ConcurrencyStatusBody: Decodable, Sendable {
    var page: Int?
    var limit: Int?
    var flowRunLimit: Int?

    enum CodingKeys: String, CodingKey {
        case page, limit
        case flowRunLimit = "flow_run_limit"
    }

    func validated() throws -> Page {
        var errors: [JSONValue] = []
        if let page, page < 1 {
            errors.append(APIError.validationEntry(
                type: "greater_than_equal", loc: ["body", "page"], msg: "Input should be greater than or equal to 1", input: .int(Int64(page))))
        }
        if let flowRunLimit, flowRunLimit < 0 || flowRunLimit > 200 {
            let (type, msg) = flowRunLimit < 0
                ? ("greater_than_equal", "Input should be greater than or equal to 0")
                : ("less_than_equal", "Input should be less than or equal to 200")
            errors.append(APIError.validationEntry(type: type, loc: ["body", "flow_run_limit"], msg: msg, input: .int(Int64(flowRunLimit))))
        }
        guard errors.isEmpty else { throw APIError.validation(errors, requestBody: .null) }
        let limit = try Paging.page(limit: limit, offset: nil).limit
        return Page(limit: limit, offset: ((page ?? 1) - 1) * limit)
    }
}
