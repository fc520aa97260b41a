import PrefectSchemas

/// A run starting again is named "Retrying" after AwaitingRetry, else "Rerunning" (Prefect's
/// `RenameReruns`).
struct RenameReruns<Run: OrchestratedRun>: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let initial = context.initialState, context.proposedState != nil, context.run.runCount > 0 else { return }
        context.rename(initial.name == "AwaitingRetry" ? "Retrying" : "Rerunning")
    }
}
