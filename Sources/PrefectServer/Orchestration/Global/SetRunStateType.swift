import PrefectSchemas

/// The run's `state_type` follows the state written (Prefect's `SetRunStateType`).
struct SetRunStateType<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let proposed = context.proposedState else { return }
        context.run.stateType = proposed.type
    }
}
