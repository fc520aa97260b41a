import Foundation
import PrefectSchemas

/// Leaving Running adds the time spent running to `total_run_time` (Prefect's `IncrementRunTime`).
struct IncrementRunTime<Run: OrchestratedRun>: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        guard let proposed = context.proposedState, let initial = context.initialState, initial.isRunning else { return }
        context.run.totalRunTime += proposed.timestamp.timeIntervalSince(initial.timestamp)
    }
}
