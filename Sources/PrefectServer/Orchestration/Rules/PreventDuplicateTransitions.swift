import PrefectSchemas

/// A proposal carrying the current state's `transition_id` was already applied: keep the
/// current state (Prefect's `PreventDuplicateTransitions`). This is what makes a retried state
/// proposal idempotent.
struct PreventDuplicateTransitions: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.all }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let current = context.initialState?.stateDetails.transitionID,
            let proposed = context.proposedState?.stateDetails.transitionID, current == proposed
        else { return }
        context.reject(with: nil, reason: "This run has already made this state transition.")
    }
}
