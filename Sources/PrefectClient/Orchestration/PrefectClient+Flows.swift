public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Creates the flow `name`, or finds it when it exists (`POST /flows/`), and returns its id
    /// (Prefect's `create_flow`, which takes the name of a flow object).
    public func createFlow(name: String) async throws -> UUID {
        try await createFlowFromName(name)
    }

    /// Creates the flow `flowName`, or finds it when it exists, and returns its id
    /// (Prefect's `create_flow_from_name`).
    public func createFlowFromName(_ flowName: String) async throws -> UUID {
        try await request(.post, "/flows/", json: FlowCreate(name: flowName)).decode(IDOnly.self).id
    }

    /// `GET /flows/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such flow.
    public func readFlow(flowID: UUID) async throws -> Flow {
        try await request(.get, "/flows/\(Self.segment(flowID))", errors: .notFound).decode(Flow.self)
    }

    /// `GET /flows/name/{name}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such flow.
    public func readFlowByName(_ flowName: String) async throws -> Flow {
        try await request(.get, "/flows/name/\(Self.segment(flowName))", errors: .notFound).decode(Flow.self)
    }

    /// Flows matching every filter given (`POST /flows/filter`).
    ///
    /// - Parameter limit: at most this many; `nil` lets the server apply its default (200).
    public func readFlows(
        flowFilter: FlowFilter? = nil,
        flowRunFilter: FlowRunFilter? = nil,
        taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil,
        workPoolFilter: WorkPoolFilter? = nil,
        workQueueFilter: WorkQueueFilter? = nil,
        sort: FlowSort? = nil,
        limit: Int? = nil,
        offset: Int = 0
    ) async throws -> [Flow] {
        let body = FilterRequest(
            flows: flowFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, deployments: deploymentFilter,
            workPools: workPoolFilter, workQueues: workQueueFilter, sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/flows/filter", json: body).decode([Flow].self)
    }

    /// `DELETE /flows/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such flow.
    public func deleteFlow(flowID: UUID) async throws {
        _ = try await request(.delete, "/flows/\(Self.segment(flowID))", errors: .notFound)
    }
}

/// A response of which only the `id` matters.
struct IDOnly: Decodable {
    let id: UUID
}
