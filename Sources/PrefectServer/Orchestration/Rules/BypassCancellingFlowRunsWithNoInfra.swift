import PrefectSchemas

/// Cancelling a run that has no infrastructure to stop cancels it at once (Prefect's
/// `BypassCancellingFlowRunsWithNoInfra`).
struct BypassCancellingFlowRunsWithNoInfra: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.scheduled, .paused) }
    var toStates: Set<StateType?> { StateTypes.of(.cancelling) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, context.proposedState != nil else { return }
        if (initial.type == .scheduled && context.run.infrastructurePid == nil) || initial.name == "Resuming" {
            context.reject(
                with: .new(.cancelled, now: context.now), reason: "Scheduled flow run has no infrastructure to terminate.")
        } else if initial.type == .paused, initial.stateDetails.pauseReschedule {
            context.reject(
                with: .new(.cancelled, now: context.now), reason: "Suspended flow run has no infrastructure to terminate.")
        }
    }
}
