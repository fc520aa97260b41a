public import Foundation
import HTTPTypes

/// The server's default result storage (Prefect's `PrefectClient.read_server_default_result_storage`
/// and its siblings, `prefect/client/orchestration/__init__.py`; `/admin/storage`).
extension PrefectClient {
    /// The block document results are stored in by default, when one is set (`GET /admin/storage`).
    public func readServerDefaultResultStorage() async throws -> ServerDefaultResultStorage {
        try await request(.get, "/admin/storage").decode(ServerDefaultResultStorage.self)
    }

    /// Makes the block document `defaultResultStorageBlockID` the default result storage
    /// (`PUT /admin/storage`); its block schema must have the `write-path` capability.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such block document;
    ///   ``PrefectHTTPStatusError`` 422 when it cannot store results.
    public func updateServerDefaultResultStorage(defaultResultStorageBlockID: UUID) async throws -> ServerDefaultResultStorage {
        try await request(
            .put, "/admin/storage", json: ServerDefaultResultStorageUpdate(defaultResultStorageBlockID: defaultResultStorageBlockID),
            errors: .notFound
        ).decode(ServerDefaultResultStorage.self)
    }

    /// Unsets the default result storage (`DELETE /admin/storage`).
    public func clearServerDefaultResultStorage() async throws {
        _ = try await request(.delete, "/admin/storage")
    }
}
