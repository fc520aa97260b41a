import Foundation

/// A flow as a deployment: a name, schedules, default parameters and the rest of what Prefect's
/// `flow.to_deployment(...)` takes (`RunnerDeployment`, `prefect/deployments/runner.py`).
///
/// ``PrefectRunner`` serves deployments (`serve`): it registers them and runs their flow runs
/// as they come due. A deployment on a work pool (``workPoolName``) is run by that pool's
/// workers instead.
///
/// ```swift
/// let nightly = etl.deployment(name: "nightly", cron: "0 2 * * *", timezone: "Europe/Paris")
/// try await PrefectRunner(deployments: [nightly, hourly]).run()
/// ```
public struct PrefectDeployment: Sendable {
    /// The deployment's name; `flow name/deployment name` names it in Prefect.
    public var name: String
    /// The name of the flow it runs.
    public let flowName: String
    /// When it runs.
    public var schedules: [DeploymentScheduleCreate]
    /// Parameters of each run, over which a run's own parameters are laid.
    public var parameters: JSONObject
    public var tags: [String]
    public var description: String?
    /// The deployment's version (the flow's when not set).
    public var version: String?
    /// At most this many runs of the deployment at once (Prefect's deployment concurrency limit).
    public var concurrencyLimit: Int?
    /// Created paused: its schedules make no runs until it is resumed.
    public var paused: Bool
    /// Whether the server validates each run's parameters against ``parameterSchema``.
    public var enforceParameterSchema: Bool
    /// The work pool whose workers run it; nil for a served deployment.
    public var workPoolName: String?
    /// The pool's queue (the pool's default queue when nil).
    public var workQueueName: String?
    /// Job variables for the pool's base job template.
    public var jobVariables: JSONObject
    /// The flow's parameter schema (``ParameterSchema``).
    public let parameterSchema: JSONObject
    /// Runs one flow run of this deployment's flow (``PrefectFlow/run(flowRunID:runtime:)``), from
    /// the run as just read when there is one.
    let runFlowRun: @Sendable (UUID, FlowRun?, PrefectRuntime) async throws -> FlowRunEnding

    init<Input: Codable & Sendable, Output: Codable & Sendable>(
        flow: PrefectFlow<Input, Output>, name: String, schedules: [DeploymentScheduleCreate], parameters: JSONObject,
        tags: [String], description: String?, version: String?, concurrencyLimit: Int?, paused: Bool,
        enforceParameterSchema: Bool, workPoolName: String?, workQueueName: String?, jobVariables: JSONObject
    ) {
        self.name = name
        self.flowName = flow.name
        self.schedules = schedules
        self.parameters = parameters
        self.tags = tags
        self.description = description ?? flow.description
        self.version = version ?? flow.version
        self.concurrencyLimit = concurrencyLimit
        self.paused = paused
        self.enforceParameterSchema = enforceParameterSchema
        self.workPoolName = workPoolName
        self.workQueueName = workQueueName
        self.jobVariables = jobVariables
        self.parameterSchema = flow.parameterSchema
        self.runFlowRun = { id, read, runtime in
            let outcome = try await FlowRunEngine(flow: flow, runtime: runtime).run(existing: id, read: read)
            return FlowRunEnding(state: outcome.state, failed: outcome.result.isFailure)
        }
    }

    /// `flow name/deployment name`, as Prefect names a deployment.
    public var qualifiedName: String { "\(flowName)/\(name)" }
}

/// How a flow run a runner started ended, without its typed result.
struct FlowRunEnding: Sendable {
    let state: State
    let failed: Bool
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

extension PrefectFlow {
    /// This flow as a deployment named `name` — Prefect's `flow.to_deployment(...)`.
    ///
    /// - Parameters:
    ///   - interval: runs every this many seconds (an ``IntervalSchedule`` anchored now).
    ///   - cron: runs at the times of this cron expression.
    ///   - rrule: runs at the times of this RFC 5545 recurrence rule.
    ///   - timezone: the IANA time zone of `interval`, `cron` and `rrule` (UTC when nil).
    ///   - schedules: more schedules, each with its own parameters and state.
    ///   - parameters: defaults of every run's parameters.
    ///   - workPoolName: the work pool whose workers run it (``deploy(to:)``); nil to serve it.
    public func deployment(
        name: String,
        interval: Double? = nil,
        cron: String? = nil,
        rrule: String? = nil,
        timezone: String? = nil,
        schedules: [DeploymentScheduleCreate] = [],
        parameters: JSONObject = [:],
        tags: [String] = [],
        description: String? = nil,
        version: String? = nil,
        concurrencyLimit: Int? = nil,
        paused: Bool = false,
        enforceParameterSchema: Bool = true,
        workPoolName: String? = nil,
        workQueueName: String? = nil,
        jobVariables: JSONObject = [:]
    ) -> PrefectDeployment {
        var all: [DeploymentScheduleCreate] = []
        if let interval {
            all.append(DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(
                interval: Seconds(interval), anchorDate: Date(), timezone: timezone))))
        }
        if let cron { all.append(DeploymentScheduleCreate(schedule: .cron(CronSchedule(cron: cron, timezone: timezone)))) }
        if let rrule { all.append(DeploymentScheduleCreate(schedule: .rrule(RRuleSchedule(rrule: rrule, timezone: timezone)))) }
        return PrefectDeployment(
            flow: self, name: name, schedules: all + schedules, parameters: parameters, tags: tags + self.tags,
            description: description, version: version, concurrencyLimit: concurrencyLimit, paused: paused,
            enforceParameterSchema: enforceParameterSchema, workPoolName: workPoolName, workQueueName: workQueueName,
            jobVariables: jobVariables)
    }
}
