import PrefectSchemas

/// The state written names its run: `flow_run_id`, and for task runs `task_run_id` (Prefect's
/// `UpdateStateDetails`).
struct UpdateStateDetails<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard var proposed = context.proposedState else { return }
        context.run.stampRunIDs(on: &proposed.stateDetails)
        context.proposedState = proposed
    }
}
