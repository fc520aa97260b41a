public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Creates a work queue, in `workPoolName` or in the default pool
    /// (`POST /work_pools/{name}/queues` or `POST /work_queues/`).
    ///
    /// - Throws: ``ObjectAlreadyExists`` when the name is taken; ``ObjectNotFound`` when the
    ///   pool does not exist.
    public func createWorkQueue(
        name: String, description: String? = nil, isPaused: Bool? = nil, concurrencyLimit: Int? = nil,
        priority: Int? = nil, workPoolName: String? = nil
    ) async throws -> WorkQueue {
        let create = WorkQueueCreate(
            name: name, description: description, isPaused: isPaused ?? false, concurrencyLimit: concurrencyLimit,
            priority: priority)
        let path = workPoolName.map { "/work_pools/\(Self.segment($0))/queues" } ?? "/work_queues/"
        return try await request(.post, path, json: create, errors: [.conflict, .notFound]).decode(WorkQueue.self)
    }

    /// `GET /work_queues/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such queue.
    public func readWorkQueue(id: UUID) async throws -> WorkQueue {
        try await request(.get, "/work_queues/\(Self.segment(id))", errors: .notFound).decode(WorkQueue.self)
    }

    /// A queue by name, in `workPoolName` or in the default pool.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such queue.
    public func readWorkQueueByName(name: String, workPoolName: String? = nil) async throws -> WorkQueue {
        let path = workPoolName.map { "/work_pools/\(Self.segment($0))/queues/\(Self.segment(name))" }
            ?? "/work_queues/name/\(Self.segment(name))"
        return try await request(.get, path, errors: .notFound).decode(WorkQueue.self)
    }

    /// Queues matching `workQueueFilter`, of one pool or of all
    /// (`POST /work_pools/{name}/queues/filter` or `POST /work_queues/filter`).
    public func readWorkQueues(
        workPoolName: String? = nil, workQueueFilter: WorkQueueFilter? = nil, limit: Int? = nil, offset: Int? = nil
    ) async throws -> [WorkQueue] {
        let body = FilterRequest(workQueues: workQueueFilter, limit: limit, offset: offset)
        let path = workPoolName.map { "/work_pools/\(Self.segment($0))/queues/filter" } ?? "/work_queues/filter"
        return try await request(.post, path, json: body, errors: .notFound).decode([WorkQueue].self)
    }

    /// Changes the fields set in `update` (`PATCH /work_queues/{id}`).
    ///
    /// - Throws: ``PrefectArgumentError`` when no field is set; ``ObjectNotFound``.
    public func updateWorkQueue(id: UUID, update: WorkQueueUpdate) async throws {
        guard update != WorkQueueUpdate() else {
            throw PrefectArgumentError(argument: "update", message: "No fields provided to update.")
        }
        _ = try await request(.patch, "/work_queues/\(Self.segment(id))", json: update, errors: .notFound)
    }

    /// `DELETE /work_queues/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such queue.
    public func deleteWorkQueueByID(id: UUID) async throws {
        _ = try await request(.delete, "/work_queues/\(Self.segment(id))", errors: .notFound)
    }

    /// Whether a queue is healthy and when it was last polled (`GET /work_queues/{id}/status`).
    public func readWorkQueueStatus(id: UUID) async throws -> WorkQueueStatusDetail {
        try await request(.get, "/work_queues/\(Self.segment(id))/status", errors: .notFound)
            .decode(WorkQueueStatusDetail.self)
    }

    /// How much of a queue's concurrency is in use (`POST /work_queues/{id}/concurrency_status`).
    public func readWorkQueueConcurrencyStatus(
        id: UUID, page: Int = 1, limit: Int? = nil
    ) async throws -> WorkQueueConcurrencyStatus {
        try await request(
            .post, "/work_queues/\(Self.segment(id))/concurrency_status",
            json: ConcurrencyStatusRequest(page: page, limit: limit, flowRunLimit: nil), errors: .notFound
        ).decode(WorkQueueConcurrencyStatus.self)
    }

    /// Runs waiting in a queue, scheduled before `scheduledBefore` (default now)
    /// (`POST /work_queues/{id}/get_runs`).
    public func getRunsInWorkQueue(id: UUID, limit: Int = 10, scheduledBefore: Date? = nil) async throws -> [FlowRun] {
        let body = QueueRunsRequest(limit: limit, scheduledBefore: scheduledBefore ?? Date())
        return try await request(.post, "/work_queues/\(Self.segment(id))/get_runs", json: body, errors: .notFound)
            .decode([FlowRun].self)
    }

    /// Every queue whose name starts with one of `prefixes`, read 100 at a time.
    public func matchWorkQueues(prefixes: [String], workPoolName: String? = nil) async throws -> [WorkQueue] {
        var queues: [WorkQueue] = []
        let pageLength = 100
        while true {
            let page = try await readWorkQueues(
                workPoolName: workPoolName, workQueueFilter: WorkQueueFilter(name: WorkQueueFilterName(startswith: prefixes)),
                limit: pageLength, offset: queues.count)
            queues += page
            if page.count < pageLength { return queues }
        }
    }
}

/// The body of `POST /work_queues/{id}/get_runs`.
struct QueueRunsRequest: Encodable {
    let limit: Int
    let scheduledBefore: Date

    private enum CodingKeys: String, CodingKey {
        case limit
        case scheduledBefore = "scheduled_before"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(limit, forKey: .limit)
        try container.encode(PrefectDate.format(scheduledBefore), forKey: .scheduledBefore)
    }
}
