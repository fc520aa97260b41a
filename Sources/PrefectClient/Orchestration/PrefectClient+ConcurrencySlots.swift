public import Foundation
import HTTPTypes

/// Occupying and releasing slots of global concurrency limits, with or without a lease
/// (Prefect's `ConcurrencyLimitAsyncClient`, `prefect/client/orchestration/_concurrency_limits/client.py`).
///
/// A full limit answers 423 with `Retry-After`: these methods throw it as
/// ``PrefectHTTPStatusError``, as Prefect's do; ``withConcurrency(_:occupy:timeout:maxRetries:leaseDuration:strict:holder:body:)``
/// waits and retries.
extension PrefectClient {
    /// How a slot request counts: concurrently held, or as a rate limit (limits with slot decay only).
    public enum ConcurrencySlotMode: String, Sendable {
        case concurrency
        case rateLimit = "rate_limit"
    }

    /// Occupies `slots` of each limit in `names` (`POST /v2/concurrency_limits/increment`); the
    /// limits found (missing names are skipped).
    public func incrementConcurrencySlots(
        names: [String], slots: Int, mode: ConcurrencySlotMode = .concurrency
    ) async throws -> [MinimalConcurrencyLimitResponse] {
        try await request(.post, "/v2/concurrency_limits/increment", json: SlotRequest(names: names, slots: slots, mode: mode))
            .decode([MinimalConcurrencyLimitResponse].self)
    }

    /// Occupies `slots` of each limit in `names` under a lease that expires after
    /// `leaseDuration` seconds unless renewed (`POST /v2/concurrency_limits/increment-with-lease`).
    public func incrementConcurrencySlotsWithLease(
        names: [String], slots: Int, mode: ConcurrencySlotMode = .concurrency, leaseDuration: Double,
        holder: ConcurrencyLeaseHolder? = nil
    ) async throws -> ConcurrencyLimitWithLeaseResponse {
        let body = SlotRequest(names: names, slots: slots, mode: mode, leaseDuration: leaseDuration, holder: holder)
        return try await request(.post, "/v2/concurrency_limits/increment-with-lease", json: body)
            .decode(ConcurrencyLimitWithLeaseResponse.self)
    }

    /// Extends the lease `leaseID` to `leaseDuration` seconds from now
    /// (`POST /v2/concurrency_limits/leases/{id}/renew`).
    ///
    /// - Throws: ``PrefectHTTPStatusError`` 410 when the lease expired or was released.
    public func renewConcurrencyLease(leaseID: UUID, leaseDuration: Double) async throws {
        _ = try await request(
            .post, "/v2/concurrency_limits/leases/\(Self.segment(leaseID))/renew", json: ["lease_duration": leaseDuration])
    }

    /// Gives back `slots` of each limit in `names`, held for `occupancySeconds`
    /// (`POST /v2/concurrency_limits/decrement`).
    public func releaseConcurrencySlots(
        names: [String], slots: Int, occupancySeconds: Double
    ) async throws -> [MinimalConcurrencyLimitResponse] {
        try await request(
            .post, "/v2/concurrency_limits/decrement", json: SlotRequest(names: names, slots: slots, occupancySeconds: occupancySeconds)
        ).decode([MinimalConcurrencyLimitResponse].self)
    }

    /// Gives back the slots of the lease `leaseID` and ends it (`POST /v2/concurrency_limits/decrement-with-lease`).
    public func releaseConcurrencySlotsWithLease(leaseID: UUID) async throws {
        _ = try await request(.post, "/v2/concurrency_limits/decrement-with-lease", json: ["lease_id": leaseID.prefectString])
    }
}

private struct SlotRequest: Encodable {
    var names: [String]
    var slots: Int
    var mode: PrefectClient.ConcurrencySlotMode?
    var leaseDuration: Double?
    var holder: ConcurrencyLeaseHolder?
    var occupancySeconds: Double?

    enum CodingKeys: String, CodingKey {
        case names, slots, mode, holder
        case leaseDuration = "lease_duration"
        case occupancySeconds = "occupancy_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(names, forKey: .names)
        try container.encode(slots, forKey: .slots)
        try container.encodeIfPresent(mode?.rawValue, forKey: .mode)
        try container.encodeIfPresent(leaseDuration, forKey: .leaseDuration)
        try container.encodeIfPresent(holder, forKey: .holder)
        try container.encodeIfPresent(occupancySeconds, forKey: .occupancySeconds)
    }
}
