public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Creates a task run (`POST /task_runs/`); Prefect's `create_task_run`, taking the parts of
    /// a task it reads (`task_key`, version, retry policy, tags).
    ///
    /// With a client-supplied `id` the call is idempotent: sending the same id again returns the
    /// task run created the first time.
    ///
    /// - Parameter state: the first state; `Pending` when `nil`.
    public func createTaskRun(
        taskKey: String,
        flowRunID: UUID?,
        dynamicKey: String,
        id: UUID? = nil,
        name: String? = nil,
        tags: [String] = [],
        taskVersion: String? = nil,
        empiricalPolicy: TaskRunPolicy = TaskRunPolicy(),
        state: State? = nil,
        taskInputs: [String: [TaskRunInput]] = [:]
    ) async throws -> TaskRun {
        let create = TaskRunCreate(
            id: id, state: (state ?? .pending()).toStateCreate(), name: name, flowRunID: flowRunID, taskKey: taskKey,
            dynamicKey: dynamicKey, taskVersion: taskVersion, empiricalPolicy: empiricalPolicy, tags: tags,
            taskInputs: taskInputs)
        return try await request(.post, "/task_runs/", json: create).decode(TaskRun.self)
    }

    /// `GET /task_runs/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such task run.
    public func readTaskRun(taskRunID: UUID) async throws -> TaskRun {
        try await request(.get, "/task_runs/\(Self.segment(taskRunID))", errors: .notFound).decode(TaskRun.self)
    }

    /// Task runs matching every filter given (`POST /task_runs/filter`).
    public func readTaskRuns(
        flowFilter: FlowFilter? = nil,
        flowRunFilter: FlowRunFilter? = nil,
        taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil,
        sort: TaskRunSort? = nil,
        limit: Int? = nil,
        offset: Int = 0
    ) async throws -> [TaskRun] {
        let body = FilterRequest(
            flows: flowFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, deployments: deploymentFilter,
            sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/task_runs/filter", json: body).decode([TaskRun].self)
    }

    /// `DELETE /task_runs/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such task run.
    public func deleteTaskRun(taskRunID: UUID) async throws {
        _ = try await request(.delete, "/task_runs/\(Self.segment(taskRunID))", errors: .notFound)
    }

    /// Proposes `state` for a task run (`POST /task_runs/{id}/set_state`).
    ///
    /// - Parameter force: skip the orchestration rules.
    /// - Throws: ``ObjectNotFound`` when there is no such task run.
    public func setTaskRunState(taskRunID: UUID, state: State, force: Bool = false) async throws -> OrchestrationResult {
        var proposed = state.toStateCreate()
        proposed.stateDetails.taskRunID = taskRunID
        return try await request(
            .post, "/task_runs/\(Self.segment(taskRunID))/set_state",
            json: SetStateRequest(state: proposed, force: force), errors: .notFound
        ).decode(OrchestrationResult.self)
    }

    /// Every state a task run has had, oldest first (`GET /task_run_states/?task_run_id=`).
    public func readTaskRunStates(taskRunID: UUID) async throws -> [State] {
        try await request(
            .get, "/task_run_states/", query: [URLQueryItem(name: "task_run_id", value: Self.segment(taskRunID))]
        ).decode([State].self)
    }

    /// Renames a task run (`PATCH /task_runs/{id}`).
    public func setTaskRunName(taskRunID: UUID, name: String) async throws {
        _ = try await request(
            .patch, "/task_runs/\(Self.segment(taskRunID))", json: TaskRunUpdate(name: name), errors: .notFound)
    }
}
