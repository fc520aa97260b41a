public import Foundation
public import Logging
import Synchronization

/// What a flow or task body can ask about the run it is part of — Prefect's `FlowRunContext`
/// and `TaskRunContext` (`prefect/context.py`) and `get_run_logger()`.
///
/// The values follow structured concurrency: a task started with `async let` or in a task
/// group inside a flow belongs to that flow run.
///
/// ```swift
/// let load = PrefectTask("load") { (rows: [Row]) in
///     RunContext.logger.info("loading \(rows.count) rows")
/// }
/// ```
public enum RunContext {
    @TaskLocal static var flowRun: FlowRunScope?
    @TaskLocal static var taskRun: TaskRunScope?

    /// The logger of the current task run, else of the current flow run; its records go to
    /// the Prefect API as that run's logs. Outside any run, a plain `prefect` logger.
    public static var logger: Logger {
        taskRun?.logger ?? flowRun?.logger ?? Logger(label: "prefect")
    }

    /// The id of the flow run this code runs in, if any.
    public static var flowRunID: UUID? { flowRun?.id }

    /// The name of the flow run this code runs in, if any.
    public static var flowRunName: String? { flowRun?.name }

    /// The id of the task run this code runs in, if any.
    public static var taskRunID: UUID? { taskRun?.id }

    /// The client of the current run's runtime, for API calls of your own.
    public static var client: PrefectClient? { taskRun?.client ?? flowRun?.client }
}

/// One flow run while it runs: its ids, logger, and what its tasks produced.
final class FlowRunScope: Sendable {
    let id: UUID
    let name: String
    let parameters: JSONObject
    let runtime: PrefectRuntime
    let client: PrefectClient
    let logger: Logger
    private let links = Mutex(ResultLinks())
    private let finishedTasks = Mutex<[TaskRunSummary]>([])
    private let currentRunCount = Mutex(0)

    init(
        id: UUID, name: String, parameters: JSONObject, runtime: PrefectRuntime, client: PrefectClient,
        logger: Logger
    ) {
        self.id = id
        self.name = name
        self.parameters = parameters
        self.runtime = runtime
        self.client = client
        self.logger = logger
    }

    /// Links `result` (and its members) to the task run that returned it.
    func record(result: JSONValue, of taskRunID: UUID) {
        links.withLock { $0.record(result, from: taskRunID) }
    }

    /// The `task_inputs` of a task called with `parameters`.
    func taskInputs(for parameters: JSONObject) -> [String: [TaskRunInput]] {
        links.withLock { $0.inputs(for: parameters) }
    }

    func finished(_ summary: TaskRunSummary) {
        finishedTasks.withLock { $0.append(summary) }
    }

    var taskRuns: [TaskRunSummary] { finishedTasks.withLock { $0 } }

    /// The flow run's `run_count` as of its current attempt (1 for the first), which its task
    /// runs carry as `flow_run_run_count` (Prefect's task engine copies it in `begin_run`).
    var runCount: Int {
        get { currentRunCount.withLock { $0 } }
        set { currentRunCount.withLock { $0 = newValue } }
    }
}

/// One task run while it runs.
final class TaskRunScope: Sendable {
    let id: UUID
    let name: String
    let client: PrefectClient
    let logger: Logger

    init(id: UUID, name: String, client: PrefectClient, logger: Logger) {
        self.id = id
        self.name = name
        self.client = client
        self.logger = logger
    }
}
