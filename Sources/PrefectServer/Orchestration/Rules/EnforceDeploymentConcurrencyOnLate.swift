import GRDB
import PrefectSchemas

/// A run about to be marked Late whose deployment uses CANCEL_NEW with every slot taken is
/// Cancelled instead, as it would have been on its way to Pending (Prefect's
/// `EnforceDeploymentConcurrencyOnLate`, in the late-runs service's policy).
struct EnforceDeploymentConcurrencyOnLate: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.scheduled) }
    var toStates: Set<StateType?> { StateTypes.of(.scheduled) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard context.initialState != nil, let proposed = context.proposedState, proposed.name == "Late",
            let deploymentID = context.run.deploymentID,
            let deployment = try DeploymentConcurrency(context.db, deploymentID: deploymentID),
            deployment.cancelsNew, let limitID = deployment.limitID,
            let row = try Row.fetchOne(
                context.db, sql: "SELECT active_slots, \"limit\" FROM concurrency_limit_v2 WHERE id = ?",
                arguments: [limitID.prefectString]),
            let active = try row.decode(forColumn: "active_slots") as Int?, let limit = try row.decode(forColumn: "limit") as Int?, active >= limit
        else { return }
        context.reject(
            with: .new(.cancelled, message: "Deployment concurrency limit reached.", now: context.now),
            reason: "Deployment concurrency limit is full and uses the CANCEL_NEW strategy.")
    }
}
