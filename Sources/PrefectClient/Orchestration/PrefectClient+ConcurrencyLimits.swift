public import Foundation
import HTTPTypes

/// Tag concurrency limits, the v1 API (Prefect's `ConcurrencyLimitAsyncClient`,
/// `prefect/client/orchestration/_concurrency_limits/client.py`). Prefect 3.9.1 keeps each as a
/// global limit named `tag:{tag}`; a limit's `activeSlots` lists the task runs holding a slot.
extension PrefectClient {
    /// Creates the limit on `tag`, or sets it when one exists (`POST /concurrency_limits/`); its id.
    public func createConcurrencyLimit(tag: String, concurrencyLimit: Int) async throws -> UUID {
        try await request(.post, "/concurrency_limits/", json: ConcurrencyLimitCreate(tag: tag, concurrencyLimit: concurrencyLimit))
            .decode(ConcurrencyLimit.self).id
    }

    /// The limit on `tag` (`GET /concurrency_limits/tag/{tag}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is none.
    public func readConcurrencyLimitByTag(_ tag: String) async throws -> ConcurrencyLimit {
        try await request(.get, "/concurrency_limits/tag/\(Self.segment(tag))", errors: .notFound).decode(ConcurrencyLimit.self)
    }

    /// Tag limits, one page (`POST /concurrency_limits/filter`).
    public func readConcurrencyLimits(limit: Int, offset: Int) async throws -> [ConcurrencyLimit] {
        try await request(.post, "/concurrency_limits/filter", json: FilterRequest(limit: limit, offset: offset))
            .decode([ConcurrencyLimit].self)
    }

    /// Frees every slot of the limit on `tag` — then `slotOverride`'s task runs hold one each
    /// (`POST /concurrency_limits/tag/{tag}/reset`). Only name task runs that are running: their
    /// slots are released when they finish.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no limit on `tag`.
    public func resetConcurrencyLimitByTag(_ tag: String, slotOverride: [UUID]? = nil) async throws {
        _ = try await request(
            .post, "/concurrency_limits/tag/\(Self.segment(tag))/reset", json: SlotOverride(slotOverride: slotOverride), errors: .notFound)
    }

    /// `DELETE /concurrency_limits/tag/{tag}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no limit on `tag`.
    public func deleteConcurrencyLimitByTag(_ tag: String) async throws {
        _ = try await request(.delete, "/concurrency_limits/tag/\(Self.segment(tag))", errors: .notFound)
    }

    /// Takes one slot of each limit on `names` (tags) for `taskRunID`
    /// (`POST /concurrency_limits/increment`); the limits a slot was taken from.
    ///
    /// - Throws: ``PrefectHTTPStatusError`` 423 when a limit is full or is 0 (its `detail` says which).
    public func incrementV1ConcurrencySlots(names: [String], taskRunID: UUID) async throws -> [MinimalConcurrencyLimitResponse] {
        try await request(.post, "/concurrency_limits/increment", json: TagSlots(names: names, taskRunID: taskRunID, occupancySeconds: nil))
            .decode([MinimalConcurrencyLimitResponse].self)
    }

    /// Gives back `taskRunID`'s slots of the limits on `names` (`POST /concurrency_limits/decrement`).
    public func decrementV1ConcurrencySlots(
        names: [String], taskRunID: UUID, occupancySeconds: Double
    ) async throws -> [MinimalConcurrencyLimitResponse] {
        try await request(
            .post, "/concurrency_limits/decrement", json: TagSlots(names: names, taskRunID: taskRunID, occupancySeconds: occupancySeconds)
        ).decode([MinimalConcurrencyLimitResponse].self)
    }
}

private struct SlotOverride: Encodable {
    var slotOverride: [UUID]?

    enum CodingKeys: String, CodingKey { case slotOverride = "slot_override" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slotOverride?.map(\.prefectString), forKey: .slotOverride)
    }
}

private struct TagSlots: Encodable {
    var names: [String]
    var taskRunID: UUID
    var occupancySeconds: Double?

    enum CodingKeys: String, CodingKey {
        case names
        case taskRunID = "task_run_id"
        case occupancySeconds = "occupancy_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(names, forKey: .names)
        try container.encode(taskRunID.prefectString, forKey: .taskRunID)
        try container.encodeIfPresent(occupancySeconds, forKey: .occupancySeconds)
    }
}
