public import Foundation

/// A Prefect flow: an async Swift function whose every run is a flow run in Prefect, with its
/// parameters, states, retries, timeout, logs and task runs — Prefect's `@flow`
/// (`prefect/flows.py`).
///
/// The input is one `Codable` value whose members become the run's parameters; the result is
/// `Codable`. Running it inside another flow makes a subflow run, linked to the parent by a
/// task run of the parent (`parent_task_run_id`).
///
/// ```swift
/// let etl = PrefectFlow("etl", retries: 1) { (day: String) in
///     let rows = try await extract(day)
///     return try await load(transform(rows))
/// }
/// let loaded = try await etl.run("2026-12-01")
/// ```
///
/// Runs go to ``PrefectRuntime/current`` (``PrefectRuntime/shared`` unless a task-local one is
/// set): `PREFECT_API_URL`, or the embedded server when it is not set.
public struct PrefectFlow<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    /// The flow's name; runs of one name belong to one flow in Prefect.
    public var name: String
    /// How many times a failed or timed-out run is run again (`retries`); the server decides,
    /// through its `RetryFailedFlows` rule.
    public var retries: Int
    /// Seconds the server schedules each retry after the failure (`retry_delay_seconds`).
    public var retryDelaySeconds: Int
    /// The body is cancelled after this many seconds and the run ends `TimedOut`.
    public var timeoutSeconds: Double?
    /// Tags of its runs.
    public var tags: [String]
    /// The flow's version (`flow_version` of its runs).
    public var version: String?
    /// What the flow does.
    public var description: String?
    let body: @Sendable (Input) async throws -> Output

    /// A flow named `name` running `body`.
    public init(
        _ name: String,
        retries: Int = 0,
        retryDelaySeconds: Int = 0,
        timeoutSeconds: Double? = nil,
        tags: [String] = [],
        version: String? = nil,
        description: String? = nil,
        _ body: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.name = name
        self.retries = max(0, retries)
        self.retryDelaySeconds = max(0, retryDelaySeconds)
        self.timeoutSeconds = timeoutSeconds
        self.tags = tags
        self.version = version
        self.description = description
        self.body = body
    }

    /// Runs the flow and returns its result.
    ///
    /// - Parameters:
    ///   - input: the run's input; its members are the flow run's parameters.
    ///   - runtime: where to run (default: the current flow run's runtime, else
    ///     ``PrefectRuntime/current``).
    /// - Throws: the body's error when the run ends Failed, ``PrefectRunError`` for a timeout,
    ///   an ABORT, a server-side cancellation or another final state, `CancellationError` when
    ///   the calling task is cancelled, and the client's errors when the run cannot be created.
    public func run(_ input: Input, runtime: PrefectRuntime? = nil) async throws -> Output {
        try await runReturningOutcome(input, runtime: runtime).get()
    }

    /// Runs the flow and reports how the run ended instead of throwing its failure — Prefect's
    /// `return_state=True`.
    ///
    /// - Throws: only when the run cannot be created (settings, an unreachable server).
    public func runReturningOutcome(_ input: Input, runtime: PrefectRuntime? = nil) async throws -> FlowRunOutcome<Output> {
        try await FlowRunEngine(flow: self, runtime: runtime ?? RunContext.flowRun?.runtime ?? PrefectRuntime.current)
            .run(input)
    }

    /// Runs the flow run `flowRunID`, made elsewhere — by a schedule, a deployment
    /// (`createFlowRunFromDeployment`), an automation or the UI's Run button — as Prefect's
    /// `run_flow(flow, flow_run=…)` does for a worker or a runner.
    ///
    /// The run's `parameters` are decoded into `Input` (members it lacks come from
    /// ``ParameterDefaults``); parameters that do not fit end the run Failed, its message naming
    /// each parameter and the type expected, and the outcome's result is a
    /// ``ParameterTypeError``. A run still Scheduled is proposed Pending, then Running; the
    /// flow's retries and retry delay apply where the run sets none.
    ///
    /// - Returns: how the run ended; its failure is reported, not thrown.
    /// - Throws: only when the run cannot be read (an unknown id, an unreachable server).
    public func run(flowRunID: UUID, runtime: PrefectRuntime? = nil) async throws -> FlowRunOutcome<Output> {
        try await FlowRunEngine(flow: self, runtime: runtime ?? PrefectRuntime.current).run(existing: flowRunID)
    }

    /// Runs the flow (a subflow run when called inside a flow).
    public func callAsFunction(_ input: Input) async throws -> Output {
        try await run(input)
    }
}

extension PrefectFlow where Input == NoParameters {
    /// A flow without parameters.
    public init(
        _ name: String,
        retries: Int = 0,
        retryDelaySeconds: Int = 0,
        timeoutSeconds: Double? = nil,
        tags: [String] = [],
        version: String? = nil,
        description: String? = nil,
        _ body: @escaping @Sendable () async throws -> Output
    ) {
        self.init(
            name, retries: retries, retryDelaySeconds: retryDelaySeconds, timeoutSeconds: timeoutSeconds, tags: tags,
            version: version, description: description
        ) { (_: NoParameters) in try await body() }
    }

    /// Runs the flow without parameters.
    public func run(runtime: PrefectRuntime? = nil) async throws -> Output {
        try await run(NoParameters(), runtime: runtime)
    }

    /// Runs the flow without parameters and reports how the run ended.
    public func runReturningOutcome(runtime: PrefectRuntime? = nil) async throws -> FlowRunOutcome<Output> {
        try await runReturningOutcome(NoParameters(), runtime: runtime)
    }

    /// Runs the flow without parameters.
    public func callAsFunction() async throws -> Output {
        try await run(NoParameters())
    }
}
