import PrefectSchemas

/// Running or finishing ends a resume: `empirical_policy.resuming` goes back to false
/// (Prefect's `RemoveResumingIndicator`).
struct RemoveResumingIndicator: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard context.apiVersionIsAbsentOrAtLeast("0.8.4"), let proposed = context.proposedState,
            proposed.isRunning || proposed.isFinal, context.run.empiricalPolicy.resuming == true
        else { return }
        context.run.empiricalPolicy.resuming = false
    }
}
