import PrefectSchemas

/// Even when forced, a Completed state with a persisted result is not replaced by a Completed
/// state without one (Prefect's `PreventResultDataLoss`).
struct PreventResultDataLoss: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.terminal }
    var toStates: Set<StateType?> { StateTypes.terminal }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        if initial.isCompleted, proposed.isCompleted, initial.carriesPersistedResult,
            !State.isPersistedResult(proposed.data)
        {
            context.reject(
                with: nil,
                reason: "Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.")
        }
    }
}
