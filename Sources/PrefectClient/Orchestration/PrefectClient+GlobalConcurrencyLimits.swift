public import Foundation
import HTTPTypes

/// Global concurrency limits, the v2 API (Prefect's `ConcurrencyLimitAsyncClient`,
/// `prefect/client/orchestration/_concurrency_limits/client.py`).
extension PrefectClient {
    /// Creates a global limit (`POST /v2/concurrency_limits/`); its id.
    ///
    /// - Throws: ``ObjectAlreadyExists`` when the name is taken.
    public func createGlobalConcurrencyLimit(_ concurrencyLimit: GlobalConcurrencyLimitCreate) async throws -> UUID {
        try await request(.post, "/v2/concurrency_limits/", json: concurrencyLimit, errors: .conflict).decode(GlobalConcurrencyLimit.self).id
    }

    /// Changes the members `concurrencyLimit` sets on the limit `name`
    /// (`PATCH /v2/concurrency_limits/{name}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is none.
    public func updateGlobalConcurrencyLimit(name: String, _ concurrencyLimit: GlobalConcurrencyLimitUpdate) async throws {
        _ = try await request(.patch, "/v2/concurrency_limits/\(Self.segment(name))", json: concurrencyLimit, errors: .notFound)
    }

    /// `DELETE /v2/concurrency_limits/{name}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is none.
    public func deleteGlobalConcurrencyLimitByName(_ name: String) async throws {
        _ = try await request(.delete, "/v2/concurrency_limits/\(Self.segment(name))", errors: .notFound)
    }

    /// The limit `name`, its active slots decayed to now (`GET /v2/concurrency_limits/{name}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is none.
    public func readGlobalConcurrencyLimitByName(_ name: String) async throws -> GlobalConcurrencyLimitResponse {
        try await request(.get, "/v2/concurrency_limits/\(Self.segment(name))", errors: .notFound)
            .decode(GlobalConcurrencyLimitResponse.self)
    }

    /// Creates the limit `name`, or changes its limit and decay when they differ. Not atomic,
    /// as in Prefect.
    public func upsertGlobalConcurrencyLimitByName(_ name: String, limit: Int, slotDecayPerSecond: Double? = nil) async throws {
        let existing: GlobalConcurrencyLimitResponse?
        do {
            existing = try await readGlobalConcurrencyLimitByName(name)
        } catch is ObjectNotFound {
            existing = nil
        }
        guard let existing else {
            var create = GlobalConcurrencyLimitCreate(name: name, limit: limit)
            if let slotDecayPerSecond { create.slotDecayPerSecond = slotDecayPerSecond }
            _ = try await createGlobalConcurrencyLimit(create)
            return
        }
        let decayChanged = slotDecayPerSecond.map { $0 != existing.slotDecayPerSecond } ?? false
        guard existing.limit != limit || decayChanged else { return }
        var update = GlobalConcurrencyLimitUpdate(limit: limit)
        if let slotDecayPerSecond { update.slotDecayPerSecond = slotDecayPerSecond }
        try await updateGlobalConcurrencyLimit(name: name, update)
    }

    /// Global limits by name, one page (`POST /v2/concurrency_limits/filter`).
    public func readGlobalConcurrencyLimits(limit: Int = 10, offset: Int = 0) async throws -> [GlobalConcurrencyLimitResponse] {
        try await request(.post, "/v2/concurrency_limits/filter", json: FilterRequest(limit: limit, offset: offset))
            .decode([GlobalConcurrencyLimitResponse].self)
    }
}
