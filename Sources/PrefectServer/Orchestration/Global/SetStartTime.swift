import PrefectSchemas

/// The first Running state sets the run's `start_time` (Prefect's `SetStartTime`).
struct SetStartTime<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let proposed = context.proposedState, proposed.isRunning, context.run.startTime == nil else { return }
        context.run.startTime = proposed.timestamp
    }
}
