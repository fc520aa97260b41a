import PrefectSchemas

/// Entering Running counts a flow run attempt, except when it resumes from a pause
/// (Prefect's `IncrementFlowRunCount`).
struct IncrementFlowRunCount: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let proposed = context.proposedState, proposed.isRunning else { return }
        if context.apiVersionIsAbsentOrAtLeast("0.8.4"), context.run.empiricalPolicy.resuming == true { return }
        context.run.runCount += 1
    }
}
