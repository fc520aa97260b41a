public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Creates a run of the flow `flowID` (`POST /flow_runs/`): one request.
    ///
    /// - Parameters:
    ///   - state: the first state; `Pending` when `nil`, as in Prefect.
    ///   - retries, retryDelay: the flow's retry policy (`empirical_policy`).
    ///   - idempotencyKey: a second create of the same flow with the same key returns the run
    ///     the first made, so a create sent again after a lost answer makes one run.
    public func createFlowRun(
        flowID: UUID,
        name: String? = nil,
        parameters: JSONObject = [:],
        context: JSONObject = [:],
        tags: [String] = [],
        parentTaskRunID: UUID? = nil,
        state: State? = nil,
        workPoolName: String? = nil,
        workQueueName: String? = nil,
        jobVariables: JSONObject? = nil,
        flowVersion: String? = nil,
        retries: Int? = nil,
        retryDelay: Int = 0,
        idempotencyKey: String? = nil
    ) async throws -> FlowRun {
        let create = FlowRunCreate(
            state: (state ?? .pending()).toStateCreate(), name: name, flowID: flowID, flowVersion: flowVersion,
            parameters: parameters, context: context, parentTaskRunID: parentTaskRunID,
            empiricalPolicy: FlowRunPolicy(retries: retries, retryDelay: retryDelay), tags: tags,
            idempotencyKey: idempotencyKey, workPoolName: workPoolName, workQueueName: workQueueName,
            jobVariables: jobVariables)
        return try await request(.post, "/flow_runs/", json: create).decode(FlowRun.self)
    }

    /// Creates a run of the flow named `flowName`, as Prefect's `create_flow_run(flow)` does:
    /// `POST /flows/` to find or create the flow, then `POST /flow_runs/`.
    public func createFlowRun(
        flowName: String,
        name: String? = nil,
        parameters: JSONObject = [:],
        context: JSONObject = [:],
        tags: [String] = [],
        parentTaskRunID: UUID? = nil,
        state: State? = nil,
        workPoolName: String? = nil,
        workQueueName: String? = nil,
        jobVariables: JSONObject? = nil,
        flowVersion: String? = nil,
        retries: Int? = nil,
        retryDelay: Int = 0,
        idempotencyKey: String? = nil
    ) async throws -> FlowRun {
        let flowID = try await createFlowFromName(flowName)
        return try await createFlowRun(
            flowID: flowID, name: name, parameters: parameters, context: context, tags: tags,
            parentTaskRunID: parentTaskRunID, state: state, workPoolName: workPoolName, workQueueName: workQueueName,
            jobVariables: jobVariables, flowVersion: flowVersion, retries: retries, retryDelay: retryDelay,
            idempotencyKey: idempotencyKey)
    }

    /// `GET /flow_runs/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such flow run.
    public func readFlowRun(flowRunID: UUID) async throws -> FlowRun {
        try await request(.get, "/flow_runs/\(Self.segment(flowRunID))", errors: .notFound).decode(FlowRun.self)
    }

    /// Flow runs matching every filter given (`POST /flow_runs/filter`).
    ///
    /// - Parameter limit: at most this many; `nil` lets the server apply its default (200).
    public func readFlowRuns(
        flowFilter: FlowFilter? = nil,
        flowRunFilter: FlowRunFilter? = nil,
        taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil,
        workPoolFilter: WorkPoolFilter? = nil,
        workQueueFilter: WorkQueueFilter? = nil,
        sort: FlowRunSort? = nil,
        limit: Int? = nil,
        offset: Int = 0
    ) async throws -> [FlowRun] {
        let body = FilterRequest(
            flows: flowFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, deployments: deploymentFilter,
            workPools: workPoolFilter, workPoolQueues: workQueueFilter, sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/flow_runs/filter", json: body).decode([FlowRun].self)
    }

    /// How many flow runs match every filter given (`POST /flow_runs/count`).
    public func countFlowRuns(
        flowFilter: FlowFilter? = nil,
        flowRunFilter: FlowRunFilter? = nil,
        taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil,
        workPoolFilter: WorkPoolFilter? = nil,
        workQueueFilter: WorkQueueFilter? = nil
    ) async throws -> Int {
        let body = FilterRequest(
            flows: flowFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, deployments: deploymentFilter,
            workPools: workPoolFilter, workPoolQueues: workQueueFilter)
        return try await request(.post, "/flow_runs/count", json: body).decode(Int.self)
    }

    /// Changes the given fields of a flow run (`PATCH /flow_runs/{id}`); `nil` leaves a field as is.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such flow run.
    public func updateFlowRun(
        flowRunID: UUID,
        flowVersion: String? = nil,
        parameters: JSONObject? = nil,
        name: String? = nil,
        tags: [String]? = nil,
        empiricalPolicy: FlowRunPolicy? = nil,
        infrastructurePid: String? = nil,
        jobVariables: JSONObject? = nil
    ) async throws {
        let update = FlowRunUpdate(
            name: name, flowVersion: flowVersion, parameters: parameters, empiricalPolicy: empiricalPolicy, tags: tags,
            infrastructurePid: infrastructurePid, jobVariables: jobVariables)
        _ = try await request(.patch, "/flow_runs/\(Self.segment(flowRunID))", json: update, errors: .notFound)
    }

    /// Renames a flow run.
    public func setFlowRunName(flowRunID: UUID, name: String) async throws {
        try await updateFlowRun(flowRunID: flowRunID, name: name)
    }

    /// Adds or replaces labels of a flow run (`PATCH /flow_runs/{id}/labels`).
    public func updateFlowRunLabels(flowRunID: UUID, labels: JSONObject) async throws {
        _ = try await request(.patch, "/flow_runs/\(Self.segment(flowRunID))/labels", json: labels, errors: .notFound)
    }

    /// `DELETE /flow_runs/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such flow run.
    public func deleteFlowRun(flowRunID: UUID) async throws {
        _ = try await request(.delete, "/flow_runs/\(Self.segment(flowRunID))", errors: .notFound)
    }

    /// Proposes `state` for a flow run (`POST /flow_runs/{id}/set_state`); the server's
    /// orchestration rules answer ACCEPT, REJECT, ABORT or WAIT.
    ///
    /// - Parameter force: skip the orchestration rules.
    /// - Throws: ``ObjectNotFound`` when there is no such flow run.
    public func setFlowRunState(flowRunID: UUID, state: State, force: Bool = false) async throws -> OrchestrationResult {
        var proposed = state.toStateCreate()
        proposed.stateDetails.flowRunID = flowRunID
        return try await request(
            .post, "/flow_runs/\(Self.segment(flowRunID))/set_state",
            json: SetStateRequest(state: proposed, force: force), errors: .notFound
        ).decode(OrchestrationResult.self)
    }

    /// Every state a flow run has had, oldest first (`GET /flow_run_states/?flow_run_id=`).
    public func readFlowRunStates(flowRunID: UUID) async throws -> [State] {
        try await request(
            .get, "/flow_run_states/", query: [URLQueryItem(name: "flow_run_id", value: Self.segment(flowRunID))]
        ).decode([State].self)
    }

    /// One state of a flow run, by the state's id (`GET /flow_run_states/{id}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such state.
    public func readFlowRunState(flowRunStateID: UUID) async throws -> State {
        try await request(.get, "/flow_run_states/\(Self.segment(flowRunStateID))", errors: .notFound).decode(State.self)
    }

    /// Resumes a paused flow run, optionally with input (`POST /flow_runs/{id}/resume`).
    public func resumeFlowRun(flowRunID: UUID, runInput: JSONObject? = nil) async throws -> OrchestrationResult {
        try await request(
            .post, "/flow_runs/\(Self.segment(flowRunID))/resume", json: ResumeRequest(runInput: runInput)
        ).decode(OrchestrationResult.self)
    }
}

/// The body of `set_state` endpoints.
struct SetStateRequest: Encodable {
    let state: StateCreate
    let force: Bool
}

/// The body of `POST /flow_runs/{id}/resume`.
struct ResumeRequest: Encodable {
    let runInput: JSONObject?

    enum CodingKeys: String, CodingKey {
        case runInput = "run_input"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runInput, forKey: .runInput)
    }
}
