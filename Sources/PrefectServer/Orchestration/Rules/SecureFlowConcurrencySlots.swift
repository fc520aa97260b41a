import Foundation
import PrefectSchemas

/// A run of a deployment with a concurrency limit takes a slot on its way to Pending, with a
/// lease whose id goes into the proposal; with no slot free it waits as Scheduled
/// "AwaitingConcurrencySlot" (ENQUEUE) or is Cancelled (CANCEL_NEW). A limit of 0 aborts; a run
/// whose deployment is gone aborts (Prefect's `SecureFlowConcurrencySlots`).
struct SecureFlowConcurrencySlots: OrchestrationRule {
    static let memoKey = "SecureFlowConcurrencySlots"

    var fromStates: Set<StateType?> { StateTypes.all.subtracting(StateTypes.of(.pending, .running, .cancelling)) }
    var toStates: Set<StateType?> { StateTypes.of(.pending) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let deploymentID = context.run.deploymentID, context.proposedState != nil,
            !DeploymentConcurrency.selfManagingWorkerVersions.contains(context.clientVersion ?? "")
        else { return }
        guard let deployment = try DeploymentConcurrency(context.db, deploymentID: deploymentID) else {
            context.abort(reason: "Deployment not found.")
            return
        }
        guard let limitID = deployment.limitID, let limit = deployment.limit else { return }
        guard limit != 0 else {
            context.abort(reason: "The deployment concurrency limit is 0. The flow will deadlock if submitted again.")
            return
        }
        if try ConcurrencySlots.increment(context.db, limitIDs: [limitID], slots: 1, now: context.now) {
            let lease = try ConcurrencySlots.createLease(
                context.db, limitIDs: [limitID], slots: 1, ttl: deployment.leaseDuration, now: context.now)
            context.proposedState?.stateDetails.deploymentConcurrencyLeaseID = lease
            context.memos[Self.memoKey] = .deploymentSlot(limitID: limitID, leaseID: lease)
        } else if deployment.cancelsNew {
            context.reject(
                with: .new(.cancelled, message: "Deployment concurrency limit reached.", now: context.now),
                reason: "Deployment concurrency limit reached.")
        } else {
            let retry = StoredTime.truncated(context.now.addingTimeInterval(DeploymentConcurrency.slotWaitSeconds))
            context.reject(
                with: .new(.scheduled, name: "AwaitingConcurrencySlot", details: StateDetails(scheduledTime: retry), now: context.now),
                reason: "Deployment concurrency limit reached.")
        }
    }

    /// The transition went elsewhere: the slot goes back.
    func cleanup(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard case .deploymentSlot(let limitID, let leaseID)? = context.memos[Self.memoKey] else { return }
        if let leaseID {
            try ConcurrencySlots.releaseLease(context.db, id: leaseID, fallbackLimitIDs: [limitID], now: context.now)
            context.validatedState?.stateDetails.deploymentConcurrencyLeaseID = nil
        } else {
            try ConcurrencySlots.decrement(context.db, limitIDs: [limitID], slots: 1, now: context.now)
        }
    }
}
