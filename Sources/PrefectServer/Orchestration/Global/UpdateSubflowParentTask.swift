import PrefectSchemas

/// A subflow's parent task run mirrors each state the subflow takes, with
/// `child_flow_run_id` pointing back, forced past the task policy (Prefect's
/// `UpdateSubflowParentTask`).
struct UpdateSubflowParentTask: UniversalTransform {
    func afterTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard context.proposedState != nil, let parent = context.run.parentTaskRunID,
            let validated = context.validatedState
        else { return }
        var mirrored = validated.freshCopy(now: context.now)
        mirrored.stateDetails.childFlowRunID = context.run.id
        _ = try TaskRunOrchestration.setState(
            context.db, taskRunID: parent, state: mirrored, force: true, now: context.now, apiVersion: context.apiVersion)
    }
}
