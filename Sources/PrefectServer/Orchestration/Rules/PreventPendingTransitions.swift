import PrefectSchemas

/// A run that is pending, running, cancelling or cancelled cannot go (back) to Pending, except
/// into a named Pending sub-state such as "Submitting" (Prefect's `PreventPendingTransitions`).
struct PreventPendingTransitions<Run: OrchestratedRun>: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.pending, .cancelling, .running, .cancelled) }
    var toStates: Set<StateType?> { StateTypes.of(.pending) }

    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        if initial.type == .pending, proposed.type == .pending, initial.name != proposed.name, proposed.name != "Pending" {
            context.proposedState?.stateDetails.scheduledTime = initial.stateDetails.scheduledTime
            context.proposedState?.stateDetails.deploymentConcurrencyLeaseID =
                initial.stateDetails.deploymentConcurrencyLeaseID
            return
        }
        context.abort(reason: "This run is in a \(initial.type.rawValue) state and cannot transition to a PENDING state.")
    }
}
