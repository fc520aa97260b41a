import PrefectSchemas

/// `next_scheduled_start_time` is the scheduled time while the run is Scheduled, and cleared
/// when it leaves Scheduled (Prefect's `SetNextScheduledStartTime`).
struct SetNextScheduledStartTime<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let proposed = context.proposedState else { return }
        if context.initialState?.isScheduled == true { context.run.nextScheduledStartTime = nil }
        if proposed.isScheduled { context.run.nextScheduledStartTime = proposed.stateDetails.scheduledTime }
    }
}
