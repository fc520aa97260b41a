import PrefectSchemas

/// Scheduled → Pending keeps the scheduled time when the proposal has none (Prefect's
/// `CopyScheduledTime`).
struct CopyScheduledTime<Run: OrchestratedRun>: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.scheduled) }
    var toStates: Set<StateType?> { StateTypes.of(.pending) }

    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        if proposed.stateDetails.scheduledTime == nil {
            context.proposedState?.stateDetails.scheduledTime = initial.stateDetails.scheduledTime
        }
    }
}
