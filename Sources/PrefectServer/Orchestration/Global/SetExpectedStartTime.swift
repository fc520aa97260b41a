import PrefectSchemas

/// The first state sets `expected_start_time`: a Scheduled state's scheduled time, else the
/// state's timestamp (Prefect's `SetExpectedStartTime`).
struct SetExpectedStartTime<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard context.run.expectedStartTime == nil, let proposed = context.proposedState else { return }
        context.run.expectedStartTime = proposed.isScheduled ? proposed.stateDetails.scheduledTime : proposed.timestamp
    }
}
