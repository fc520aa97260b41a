import PrefectSchemas

/// The run's `state_name` follows the state written (Prefect's `SetRunStateName`).
struct SetRunStateName<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let proposed = context.proposedState else { return }
        context.run.stateName = proposed.name
    }
}
