public import Foundation
import HTTPTypes
import Logging

extension PrefectClient {
    /// Creates a work pool (`POST /work_pools/`).
    ///
    /// - Parameter overwrite: when the pool exists, update it with `workPool`'s other fields
    ///   instead of failing (its type cannot change; a different type is logged and kept).
    /// - Throws: ``ObjectAlreadyExists`` when the pool exists and `overwrite` is false.
    public func createWorkPool(_ workPool: WorkPoolCreate, overwrite: Bool = false) async throws -> WorkPool {
        do {
            return try await request(.post, "/work_pools/", json: workPool, errors: .conflict).decode(WorkPool.self)
        } catch is ObjectAlreadyExists where overwrite {
            let existing = try await readWorkPool(workPoolName: workPool.name)
            if existing.type != workPool.type {
                logger.warning(
                    "Overwriting work pool type is not supported. Ignoring provided type '\(workPool.type)' and keeping existing type '\(existing.type)'."
                )
            }
            try await updateWorkPool(
                workPoolName: workPool.name,
                workPool: WorkPoolUpdate(
                    description: workPool.description, isPaused: workPool.isPaused,
                    baseJobTemplate: workPool.baseJobTemplate, concurrencyLimit: workPool.concurrencyLimit,
                    storageConfiguration: workPool.storageConfiguration))
            return try await readWorkPool(workPoolName: workPool.name)
        }
    }

    /// `GET /work_pools/{name}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such pool.
    public func readWorkPool(workPoolName: String) async throws -> WorkPool {
        try await request(.get, "/work_pools/\(Self.segment(workPoolName))", errors: .notFound).decode(WorkPool.self)
    }

    /// Work pools matching `workPoolFilter` (`POST /work_pools/filter`).
    public func readWorkPools(
        limit: Int? = nil, offset: Int = 0, workPoolFilter: WorkPoolFilter? = nil
    ) async throws -> [WorkPool] {
        let body = FilterRequest(workPools: workPoolFilter, limit: limit, offset: offset)
        return try await request(.post, "/work_pools/filter", json: body).decode([WorkPool].self)
    }

    /// Changes the fields set in `workPool` (`PATCH /work_pools/{name}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such pool.
    public func updateWorkPool(workPoolName: String, workPool: WorkPoolUpdate) async throws {
        _ = try await request(.patch, "/work_pools/\(Self.segment(workPoolName))", json: workPool, errors: .notFound)
    }

    /// `DELETE /work_pools/{name}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such pool.
    public func deleteWorkPool(workPoolName: String) async throws {
        _ = try await request(.delete, "/work_pools/\(Self.segment(workPoolName))", errors: .notFound)
    }

    /// How much of a pool's concurrency is in use, with a page of the runs holding slots
    /// (`POST /work_pools/{name}/concurrency_status`).
    public func readWorkPoolConcurrencyStatus(
        workPoolName: String, page: Int = 1, limit: Int? = nil, flowRunLimit: Int = 10
    ) async throws -> WorkPoolConcurrencyStatus {
        let body = ConcurrencyStatusRequest(page: page, limit: limit, flowRunLimit: flowRunLimit)
        return try await request(
            .post, "/work_pools/\(Self.segment(workPoolName))/concurrency_status", json: body, errors: .notFound
        ).decode(WorkPoolConcurrencyStatus.self)
    }

    /// Scheduled runs of a pool's queues due before `scheduledBefore`, as a worker polls them
    /// (`POST /work_pools/{name}/get_scheduled_flow_runs`).
    public func getScheduledFlowRunsForWorkPool(
        workPoolName: String, workQueueNames: [String]? = nil, scheduledBefore: Date? = nil
    ) async throws -> [WorkerFlowRunResponse] {
        let body = PoolScheduledRunsRequest(workQueueNames: workQueueNames, scheduledBefore: scheduledBefore)
        return try await request(
            .post, "/work_pools/\(Self.segment(workPoolName))/get_scheduled_flow_runs", json: body, errors: .notFound
        ).decode([WorkerFlowRunResponse].self)
    }
}

/// The body of the `concurrency_status` endpoints.
struct ConcurrencyStatusRequest: Encodable {
    let page: Int
    let limit: Int?
    let flowRunLimit: Int?

    private enum CodingKeys: String, CodingKey {
        case page, limit
        case flowRunLimit = "flow_run_limit"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(page, forKey: .page)
        try container.encodeIfPresent(limit, forKey: .limit)
        try container.encodeIfPresent(flowRunLimit, forKey: .flowRunLimit)
    }
}

/// The body of `POST /work_pools/{name}/get_scheduled_flow_runs`.
struct PoolScheduledRunsRequest: Encodable {
    let workQueueNames: [String]?
    let scheduledBefore: Date?

    private enum CodingKeys: String, CodingKey {
        case workQueueNames = "work_queue_names"
        case scheduledBefore = "scheduled_before"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(workQueueNames, forKey: .workQueueNames)
        try container.encodeIfPresent(scheduledBefore.map(PrefectDate.format), forKey: .scheduledBefore)
    }
}
