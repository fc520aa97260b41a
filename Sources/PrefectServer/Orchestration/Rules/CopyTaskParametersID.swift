import PrefectSchemas

/// Scheduled or Pending → Pending or Running keeps the background task's parameters id when the
/// proposal has none (Prefect's `CopyTaskParametersID`).
struct CopyTaskParametersID: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.scheduled, .pending) }
    var toStates: Set<StateType?> { StateTypes.of(.pending, .running) }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        if proposed.stateDetails.taskParametersID == nil {
            context.proposedState?.stateDetails.taskParametersID = initial.stateDetails.taskParametersID
        }
    }
}
