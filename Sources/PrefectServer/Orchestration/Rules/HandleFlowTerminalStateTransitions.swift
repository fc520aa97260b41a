import PrefectSchemas

/// What a finished flow run may still do (Prefect's `HandleFlowTerminalStateTransitions`):
/// never Cancelling, Paused or Crashed; nothing that would lose a persisted result; Scheduled
/// only with a deployment; otherwise it may run again with a reset pause and retry policy.
struct HandleFlowTerminalStateTransitions: OrchestrationRule {
    private static let memoKey = "HandleFlowTerminalStateTransitions.policy"
    var fromStates: Set<StateType?> { StateTypes.terminal }
    var toStates: Set<StateType?> { StateTypes.all }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        context.memos[Self.memoKey] = .flowRunPolicy(context.run.empiricalPolicy)
        if [.cancelling, .paused, .crashed].contains(proposed.type) {
            context.abort(reason: "Run is already in terminal state \(initial.type.rawValue).")
            return
        }
        if initial.isCompleted, !proposed.isFinal, initial.carriesPersistedResult {
            context.reject(with: nil, reason: "Run is already COMPLETED.")
            return
        }
        if initial.isCompleted, proposed.isCompleted, initial.carriesPersistedResult,
            !State.isPersistedResult(proposed.data)
        {
            context.reject(
                with: nil,
                reason: "Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.")
            return
        }
        if proposed.isScheduled, context.run.deploymentID == nil {
            context.abort(reason: "Cannot reschedule a run without an associated deployment.")
            return
        }
        if !proposed.isFinal, context.apiVersionIsAbsentOrAtLeast("0.8.4") {
            context.run.empiricalPolicy.resuming = false
            context.run.empiricalPolicy.pauseKeys = []
            context.run.empiricalPolicy.retryType = proposed.isScheduled ? "reschedule" : nil
        }
    }

    func cleanup(_ context: inout OrchestrationContext<FlowRun>) throws {
        if case .flowRunPolicy(let original)? = context.memos[Self.memoKey] {
            context.run.empiricalPolicy = original
        }
    }
}
