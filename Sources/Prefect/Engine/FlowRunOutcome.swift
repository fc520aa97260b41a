public import Foundation

/// How one flow run ended: Prefect's `flow(return_state=True)`, with the run's task runs.
public struct FlowRunOutcome<Output: Sendable>: Sendable {
    /// The flow run's id.
    public let flowRunID: UUID
    /// The flow run's name.
    public let flowRunName: String
    /// The last state the server recorded for it.
    public let state: State
    /// The body's result, or why there is none: the body's error, ``PrefectRunError`` or
    /// `CancellationError`.
    public let result: Result<Output, any Error>
    /// The task runs it made (subflows included, as their tracking task runs), in the order
    /// they ended.
    public let taskRuns: [TaskRunSummary]
    /// How many times the body ran.
    public let attempts: Int

    /// The result, or the error that stands in for it.
    public func get() throws -> Output {
        try result.get()
    }
}
