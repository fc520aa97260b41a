public import Foundation
import HTTPTypes

extension PrefectClient {
    /// Creates a deployment of the flow `flowID`, or updates the one with the same flow and
    /// name (`POST /deployments/`), and returns its id.
    ///
    /// - Throws: ``ObjectAlreadyExists`` on a 409.
    public func createDeployment(
        flowID: UUID,
        name: String,
        version: String? = nil,
        versionInfo: VersionInfo? = nil,
        schedules: [DeploymentScheduleCreate] = [],
        concurrencyLimit: Int? = nil,
        concurrencyOptions: ConcurrencyOptions? = nil,
        parameters: JSONObject = [:],
        description: String? = nil,
        workQueueName: String? = nil,
        workPoolName: String? = nil,
        tags: [String] = [],
        storageDocumentID: UUID? = nil,
        path: String? = nil,
        entrypoint: String? = nil,
        infrastructureDocumentID: UUID? = nil,
        parameterOpenapiSchema: JSONObject = [:],
        paused: Bool? = nil,
        pullSteps: [JSONObject]? = nil,
        enforceParameterSchema: Bool? = nil,
        jobVariables: JSONObject = [:],
        branch: String? = nil,
        base: UUID? = nil,
        root: UUID? = nil
    ) async throws -> UUID {
        let create = DeploymentCreate(
            name: name, flowID: flowID, paused: paused, schedules: schedules, concurrencyLimit: concurrencyLimit,
            concurrencyOptions: concurrencyOptions, enforceParameterSchema: enforceParameterSchema,
            parameterOpenapiSchema: parameterOpenapiSchema, parameters: parameters, tags: tags, pullSteps: pullSteps,
            workQueueName: workQueueName, workPoolName: workPoolName, storageDocumentID: storageDocumentID,
            infrastructureDocumentID: infrastructureDocumentID, description: description, path: path,
            entrypoint: entrypoint, jobVariables: jobVariables, version: version, versionInfo: versionInfo,
            branch: branch, base: base, root: root)
        return try await request(.post, "/deployments/", json: create, errors: .conflict).decode(IDOnly.self).id
    }

    /// Changes the fields set in `deployment` (`PATCH /deployments/{id}`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment.
    public func updateDeployment(deploymentID: UUID, deployment: DeploymentUpdate) async throws {
        _ = try await request(.patch, "/deployments/\(Self.segment(deploymentID))", json: deployment, errors: .notFound)
    }

    /// `GET /deployments/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment.
    public func readDeployment(deploymentID: UUID) async throws -> DeploymentResponse {
        try await request(.get, "/deployments/\(Self.segment(deploymentID))", errors: .notFound)
            .decode(DeploymentResponse.self)
    }

    /// The deployment named `<flow name>/<deployment name>`
    /// (`GET /deployments/name/{flow}/{deployment}`).
    ///
    /// - Throws: ``PrefectArgumentError`` when `name` is not of that form; ``ObjectNotFound``.
    public func readDeploymentByName(_ name: String) async throws -> DeploymentResponse {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw PrefectArgumentError(
                argument: "name",
                message: "Invalid deployment name format: \(name). Expected format: <FLOW_NAME>/<DEPLOYMENT_NAME>")
        }
        return try await request(
            .get, "/deployments/name/\(Self.segment(String(parts[0])))/\(Self.segment(String(parts[1])))",
            errors: .notFound
        ).decode(DeploymentResponse.self)
    }

    /// Deployments matching every filter given (`POST /deployments/filter`).
    public func readDeployments(
        flowFilter: FlowFilter? = nil,
        flowRunFilter: FlowRunFilter? = nil,
        taskRunFilter: TaskRunFilter? = nil,
        deploymentFilter: DeploymentFilter? = nil,
        workPoolFilter: WorkPoolFilter? = nil,
        workQueueFilter: WorkQueueFilter? = nil,
        limit: Int? = nil,
        sort: DeploymentSort? = nil,
        offset: Int = 0
    ) async throws -> [DeploymentResponse] {
        let body = FilterRequest(
            flows: flowFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, deployments: deploymentFilter,
            workPools: workPoolFilter, workPoolQueues: workQueueFilter, sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/deployments/filter", json: body).decode([DeploymentResponse].self)
    }

    /// `DELETE /deployments/{id}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment.
    public func deleteDeployment(deploymentID: UUID) async throws {
        _ = try await request(.delete, "/deployments/\(Self.segment(deploymentID))", errors: .notFound)
    }

    /// Creates a run of a deployment (`POST /deployments/{id}/create_flow_run`).
    ///
    /// - Parameters:
    ///   - parameters: merged over the deployment's defaults by the server.
    ///   - state: the first state; `Scheduled` (now) when `nil`, as in Prefect.
    ///   - idempotencyKey: a second call with the same key returns the run made by the first.
    public func createFlowRunFromDeployment(
        deploymentID: UUID,
        parameters: JSONObject = [:],
        context: JSONObject = [:],
        state: State? = nil,
        name: String? = nil,
        tags: [String] = [],
        idempotencyKey: String? = nil,
        parentTaskRunID: UUID? = nil,
        workQueueName: String? = nil,
        jobVariables: JSONObject? = nil,
        labels: JSONObject = [:]
    ) async throws -> FlowRun {
        let create = DeploymentFlowRunCreate(
            state: (state ?? .scheduled()).toStateCreate(), name: name, parameters: parameters, context: context,
            tags: tags, idempotencyKey: idempotencyKey, parentTaskRunID: parentTaskRunID,
            workQueueName: workQueueName, jobVariables: jobVariables, labels: labels)
        return try await request(
            .post, "/deployments/\(Self.segment(deploymentID))/create_flow_run", json: create, errors: .notFound
        ).decode(FlowRun.self)
    }

    /// Stops a deployment's schedules from creating runs.
    public func pauseDeployment(deploymentID: UUID) async throws {
        try await setDeploymentPausedState(deploymentID: deploymentID, paused: true)
    }

    /// Lets a paused deployment's schedules create runs again.
    public func resumeDeployment(deploymentID: UUID) async throws {
        try await setDeploymentPausedState(deploymentID: deploymentID, paused: false)
    }

    /// Sets whether a deployment is paused (`PATCH /deployments/{id}` with `paused`).
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such deployment.
    public func setDeploymentPausedState(deploymentID: UUID, paused: Bool) async throws {
        try await updateDeployment(deploymentID: deploymentID, deployment: DeploymentUpdate(paused: paused))
    }

    /// Creates a branch of a deployment (`POST /deployments/{id}/branch`) and returns the new
    /// deployment's id.
    ///
    /// Prefect Cloud only: the open-source server has no such endpoint and answers 404.
    ///
    /// - Parameters:
    ///   - scheduleHandling: what the branch does with the schedules; the server's default
    ///     (`remove`) when `nil`.
    ///   - overrides: fields that differ in the branch.
    public func createDeploymentBranch(
        deploymentID: UUID, branch: String, scheduleHandling: BranchingScheduleHandling? = nil,
        overrides: DeploymentUpdate? = nil
    ) async throws -> UUID {
        let body = DeploymentBranchRequest(branch: branch, scheduleHandling: scheduleHandling, overrides: overrides)
        return try await request(.post, "/deployments/\(Self.segment(deploymentID))/branch", json: body, errors: .notFound)
            .decode(IDOnly.self).id
    }

    /// Scheduled runs of the given deployments due before `scheduledBefore`
    /// (`POST /deployments/get_scheduled_flow_runs`).
    public func getScheduledFlowRunsForDeployments(
        deploymentIDs: [UUID], scheduledBefore: Date? = nil, limit: Int? = nil
    ) async throws -> [FlowRun] {
        let body = ScheduledRunsRequest(deploymentIDs: deploymentIDs, scheduledBefore: scheduledBefore, limit: limit)
        return try await request(.post, "/deployments/get_scheduled_flow_runs", json: body).decode([FlowRun].self)
    }
}

/// The body of `POST /deployments/{id}/branch`, as Prefect's client writes it
/// (`DeploymentBranch(...).model_dump(exclude_unset=True)`).
struct DeploymentBranchRequest: Encodable {
    let branch: String
    let scheduleHandling: BranchingScheduleHandling?
    let overrides: DeploymentUpdate?

    private enum CodingKeys: String, CodingKey {
        case branch, options, overrides
    }

    private enum OptionKeys: String, CodingKey {
        case scheduleHandling = "schedule_handling"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(branch, forKey: .branch)
        var options = container.nestedContainer(keyedBy: OptionKeys.self, forKey: .options)
        try options.encodeIfPresent(scheduleHandling, forKey: .scheduleHandling)
        try container.encode(overrides, forKey: .overrides)
    }
}

/// The body of `POST /deployments/get_scheduled_flow_runs`.
struct ScheduledRunsRequest: Encodable {
    let deploymentIDs: [UUID]
    let scheduledBefore: Date?
    let limit: Int?

    private enum CodingKeys: String, CodingKey {
        case deploymentIDs = "deployment_ids"
        case scheduledBefore = "scheduled_before"
        case limit
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(deploymentIDs.map { $0.prefectString }, forKey: .deploymentIDs)
        try container.encodeIfPresent(scheduledBefore.map(PrefectDate.format), forKey: .scheduledBefore)
        try container.encodeIfPresent(limit, forKey: .limit)
    }
}
