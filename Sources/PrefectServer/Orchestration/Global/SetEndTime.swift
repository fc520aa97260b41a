import PrefectSchemas

/// A final state sets `end_time` (and `start_time` if the run never ran); leaving a final
/// state for a non-final one clears `end_time` (Prefect's `SetEndTime`).
struct SetEndTime<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let proposed = context.proposedState else { return }
        if let initial = context.initialState, initial.isFinal, !proposed.isFinal {
            context.run.endTime = nil
        }
        if proposed.isFinal, context.run.endTime == nil {
            if context.run.startTime == nil { context.run.startTime = proposed.timestamp }
            context.run.endTime = proposed.timestamp
        }
    }
}
