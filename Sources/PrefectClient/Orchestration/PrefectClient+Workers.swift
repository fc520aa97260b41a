public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Workers of a pool matching `workerFilter` (`POST /work_pools/{name}/workers/filter`).
    public func readWorkersForWorkPool(
        workPoolName: String, workerFilter: WorkerFilter? = nil, offset: Int? = nil, limit: Int? = nil
    ) async throws -> [Worker] {
        let body = FilterRequest(workers: workerFilter, limit: limit, offset: offset)
        return try await request(
            .post, "/work_pools/\(Self.segment(workPoolName))/workers/filter", json: body, errors: .notFound
        ).decode([Worker].self)
    }

    /// Tells the server a worker is alive (`POST /work_pools/{name}/workers/heartbeat`).
    ///
    /// - Parameter getWorkerID: ask for the worker's id; servers that do not return one
    ///   (the open-source server) give `nil`.
    /// - Returns: the worker's id when asked for and returned.
    @discardableResult
    public func sendWorkerHeartbeat(
        workPoolName: String, workerName: String, heartbeatIntervalSeconds: Double? = nil, getWorkerID: Bool = false,
        workerMetadata: WorkerMetadata? = nil
    ) async throws -> UUID? {
        let body = HeartbeatRequest(
            name: workerName, heartbeatIntervalSeconds: heartbeatIntervalSeconds, metadata: workerMetadata,
            returnID: getWorkerID ? true : nil)
        let response = try await request(
            .post, "/work_pools/\(Self.segment(workPoolName))/workers/heartbeat", json: body, errors: .notFound)
        guard getWorkerID, response.statusCode == 200 else { return nil }
        let text = response.text.trimmingCharacters(in: CharacterSet(charactersIn: "\" \n"))
        return UUID(uuidString: text)
    }

    /// Metadata the server collects about worker types
    /// (`GET /collections/views/aggregate-worker-metadata`).
    public func readWorkerMetadata() async throws -> JSONObject {
        try await request(.get, "/collections/views/aggregate-worker-metadata").decode(JSONObject.self)
    }
}

/// The body of `POST /work_pools/{name}/workers/heartbeat`.
struct HeartbeatRequest: Encodable {
    let name: String
    let heartbeatIntervalSeconds: Double?
    let metadata: WorkerMetadata?
    let returnID: Bool?

    private enum CodingKeys: String, CodingKey {
        case name
        case heartbeatIntervalSeconds = "heartbeat_interval_seconds"
        case metadata
        case returnID = "return_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(heartbeatIntervalSeconds, forKey: .heartbeatIntervalSeconds)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(returnID, forKey: .returnID)
    }
}
