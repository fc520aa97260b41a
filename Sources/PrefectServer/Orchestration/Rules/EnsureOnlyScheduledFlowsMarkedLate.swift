import PrefectSchemas

/// Only a scheduled run that is not already late can be marked "Late" (Prefect's
/// `EnsureOnlyScheduledFlowsMarkedLate`).
struct EnsureOnlyScheduledFlowsMarkedLate: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.scheduled) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState,
            proposed.isScheduled, proposed.name == "Late"
        else { return }
        if !initial.isScheduled {
            context.reject(with: nil, reason: "Only scheduled flows can be marked late.")
        } else if initial.name == "Late" {
            context.reject(with: nil, reason: "This flow run is already marked late.")
        }
    }
}
