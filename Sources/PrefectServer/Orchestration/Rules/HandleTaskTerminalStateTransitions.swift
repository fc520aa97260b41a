import PrefectSchemas

/// What a finished task run may still do (Prefect's `HandleTaskTerminalStateTransitions`):
/// never Cancelling, Paused or Crashed; nothing once Completed with a persisted result;
/// otherwise it runs again from a run count of zero, named "Retrying" when its flow retried.
struct HandleTaskTerminalStateTransitions: OrchestrationRule {
    private static let memoKey = "HandleTaskTerminalStateTransitions.runCount"
    var fromStates: Set<StateType?> { StateTypes.terminal }
    var toStates: Set<StateType?> { StateTypes.all }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        context.memos[Self.memoKey] = .runCount(context.run.runCount)
        if [.cancelling, .paused, .crashed].contains(proposed.type) {
            context.abort(reason: "Run is already \(initial.type.rawValue).")
            return
        }
        if initial.isCompleted, initial.carriesPersistedResult {
            context.reject(with: nil, reason: "This run is already completed.")
            return
        }
        if !proposed.isFinal {
            context.run.runCount = 0
        }
        if proposed.isRunning, let flowRun = try context.flowRun(), context.run.flowRunRunCount < flowRun.runCount
        {
            context.rename("Retrying")
        }
    }

    func cleanup(_ context: inout OrchestrationContext<TaskRun>) throws {
        if case .runCount(let original)? = context.memos[Self.memoKey] {
            context.run.runCount = original
        }
    }
}
