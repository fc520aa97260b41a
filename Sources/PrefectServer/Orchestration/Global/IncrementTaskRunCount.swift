import PrefectSchemas

/// Entering Running counts a task run attempt (Prefect's `IncrementTaskRunCount`).
struct IncrementTaskRunCount: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let proposed = context.proposedState, proposed.isRunning else { return }
        context.run.runCount += 1
    }
}
