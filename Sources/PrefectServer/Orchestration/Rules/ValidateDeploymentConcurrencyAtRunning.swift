import Foundation
import PrefectSchemas

/// Pending → Running keeps the run's lease; for a client that renews leases (Prefect ≥ 3.4.11)
/// the lease is renewed, or, when it was reaped, a slot is taken again or the run is Cancelled
/// (Prefect's `ValidateDeploymentConcurrencyAtRunning`).
struct ValidateDeploymentConcurrencyAtRunning: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.pending) }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, context.proposedState != nil else { return }
        let leaseID = initial.stateDetails.deploymentConcurrencyLeaseID
        context.proposedState?.stateDetails.deploymentConcurrencyLeaseID = leaseID
        guard let leaseID, context.clientMaintainsLeases, let deploymentID = context.run.deploymentID,
            let deployment = try DeploymentConcurrency(context.db, deploymentID: deploymentID),
            let limitID = deployment.limitID, deployment.limit != nil
        else { return }
        if try ConcurrencySlots.renewLease(context.db, id: leaseID, ttl: deployment.leaseDuration, now: context.now) { return }
        if try ConcurrencySlots.increment(context.db, limitIDs: [limitID], slots: 1, now: context.now) {
            let holder = ConcurrencyLeaseHolder(type: "flow_run", id: context.run.id)
            let lease = try ConcurrencySlots.createLease(
                context.db, limitIDs: [limitID], slots: 1, ttl: deployment.leaseDuration, holder: holder, now: context.now)
            context.proposedState?.stateDetails.deploymentConcurrencyLeaseID = lease
            return
        }
        context.reject(
            with: .new(.cancelled, message: "Deployment concurrency limit reached after lease expiry.", now: context.now),
            reason: "Deployment concurrency limit reached after lease expiry.")
    }
}
