import PrefectSchemas

/// A run of a deployment leaving Pending, Running or Cancelling for another type gives its
/// slot back — through its lease, or one slot of the deployment's limit without one — except
/// when a failure is retried in the same process (`RetryFailedFlows`' AwaitingRetry), which
/// keeps the slot (Prefect's `ReleaseFlowConcurrencySlots`).
struct ReleaseFlowConcurrencySlots: UniversalTransform {
    private static let holding: Set<StateType?> = StateTypes.of(.pending, .running, .cancelling)

    func afterTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let proposed = context.proposedState, Self.holding.contains(context.initialState?.type),
            !Self.holding.contains(proposed.type)
        else { return }
        if proposed.type == .scheduled, proposed.name == "AwaitingRetry", context.status == .reject { return }
        guard let deploymentID = context.run.deploymentID else { return }
        let deployment = try DeploymentConcurrency(context.db, deploymentID: deploymentID)
        if let leaseID = context.initialState?.stateDetails.deploymentConcurrencyLeaseID {
            try ConcurrencySlots.releaseLease(
                context.db, id: leaseID, fallbackLimitIDs: deployment?.limitID.map { [$0] } ?? [], now: context.now)
            return
        }
        guard let limitID = deployment?.limitID else { return }
        try ConcurrencySlots.decrement(context.db, limitIDs: [limitID], slots: 1, now: context.now)
    }
}
