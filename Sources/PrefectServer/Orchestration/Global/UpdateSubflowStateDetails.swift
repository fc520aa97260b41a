import PrefectSchemas

/// A subflow's states carry its parent task run as `task_run_id` (Prefect's
/// `UpdateSubflowStateDetails`).
struct UpdateSubflowStateDetails: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let parent = context.run.parentTaskRunID, context.proposedState != nil else { return }
        context.proposedState?.stateDetails.taskRunID = parent
    }
}
