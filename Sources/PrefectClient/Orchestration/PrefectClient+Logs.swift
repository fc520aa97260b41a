import Foundation
import HTTPTypes

extension PrefectClient {
    /// Sends log records (`POST /logs/`).
    public func createLogs(_ logs: [LogCreate]) async throws {
        guard !logs.isEmpty else { return }
        _ = try await request(.post, "/logs/", json: logs)
    }

    /// Log records matching `logFilter`, oldest first unless `sort` says otherwise
    /// (`POST /logs/filter`).
    public func readLogs(
        logFilter: LogFilter? = nil, limit: Int? = nil, offset: Int? = nil, sort: LogSort = .timestampAsc
    ) async throws -> [Log] {
        let body = FilterRequest(logs: logFilter, sort: sort.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/logs/filter", json: body).decode([Log].self)
    }
}
