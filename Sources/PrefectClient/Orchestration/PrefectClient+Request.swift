import Foundation
import HTTPTypes

extension PrefectClient {
    /// Which statuses a call turns into typed errors, as the Python client's methods do.
    struct ErrorMapping: OptionSet {
        let rawValue: Int
        /// 404 → ``ObjectNotFound``.
        static let notFound = ErrorMapping(rawValue: 1)
        /// 409 → ``ObjectAlreadyExists``.
        static let conflict = ErrorMapping(rawValue: 2)
    }

    /// Sends a request with an optional JSON body; maps statuses as `errors` says.
    func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        query: [URLQueryItem] = [],
        errors: ErrorMapping = []
    ) async throws -> PrefectResponse {
        try await mapErrors(errors) { try await http.send(method, path, query: query) }
    }

    /// Sends `body` as JSON; maps statuses as `errors` says.
    func request<Body: Encodable>(
        _ method: HTTPRequest.Method,
        _ path: String,
        json body: Body,
        query: [URLQueryItem] = [],
        errors: ErrorMapping = []
    ) async throws -> PrefectResponse {
        let data: Data
        do {
            data = try PrefectJSON.encode(body)
        } catch {
            throw PrefectClientConfigurationError(setting: "request body", message: "cannot encode \(Body.self): \(error)")
        }
        return try await mapErrors(errors) { try await http.send(method, path, query: query, body: data) }
    }

    private func mapErrors(
        _ errors: ErrorMapping, _ send: () async throws -> PrefectResponse
    ) async throws -> PrefectResponse {
        do {
            return try await send()
        } catch let error as PrefectHTTPStatusError {
            if errors.contains(.notFound), error.statusCode == 404 { throw ObjectNotFound(httpError: error) }
            if errors.contains(.conflict), error.statusCode == 409 { throw ObjectAlreadyExists(httpError: error) }
            throw error
        }
    }

    /// `value` percent-encoded for use as one path segment.
    static func segment(_ value: String) -> String {
        Endpoint.percentEncode(value)
    }

    /// `id` as Prefect writes UUIDs: lower case.
    static func segment(_ id: UUID) -> String {
        id.prefectString
    }
}

/// The body of Prefect's `/…/filter` and `/…/count` endpoints. Unset parts are left out.
struct FilterRequest: Encodable {
    var flows: FlowFilter?
    var flowRuns: FlowRunFilter?
    var taskRuns: TaskRunFilter?
    var deployments: DeploymentFilter?
    var workPools: WorkPoolFilter?
    /// `work_queues`: the work-queue filter of `/flows/filter` and `/work_queues/filter`.
    var workQueues: WorkQueueFilter?
    /// `work_pool_queues`: the work-queue filter of `/flow_runs/…` and `/deployments/filter`.
    var workPoolQueues: WorkQueueFilter?
    var logs: LogFilter?
    var variables: VariableFilter?
    var workers: WorkerFilter?
    var sort: String?
    var limit: Int?
    var offset: Int?

    enum CodingKeys: String, CodingKey {
        case flows
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case deployments
        case workPools = "work_pools"
        case workQueues = "work_queues"
        case workPoolQueues = "work_pool_queues"
        case logs, variables, workers, sort, limit, offset
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(flows, forKey: .flows)
        try container.encodeIfPresent(flowRuns, forKey: .flowRuns)
        try container.encodeIfPresent(taskRuns, forKey: .taskRuns)
        try container.encodeIfPresent(deployments, forKey: .deployments)
        try container.encodeIfPresent(workPools, forKey: .workPools)
        try container.encodeIfPresent(workQueues, forKey: .workQueues)
        try container.encodeIfPresent(workPoolQueues, forKey: .workPoolQueues)
        try container.encodeIfPresent(logs, forKey: .logs)
        try container.encodeIfPresent(variables, forKey: .variables)
        try container.encodeIfPresent(workers, forKey: .workers)
        try container.encodeIfPresent(sort, forKey: .sort)
        try container.encodeIfPresent(limit, forKey: .limit)
        try container.encodeIfPresent(offset, forKey: .offset)
    }
}
