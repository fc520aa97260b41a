import PrefectSchemas

/// A client that does not renew leases (any but Prefect ≥ 3.4.11) loses the run's lease once
/// it leaves Pending; the slot stays taken until the run leaves Running
/// (Prefect's `RemoveDeploymentConcurrencyLeaseForOldClientVersions`).
struct RemoveDeploymentConcurrencyLeaseForOldClientVersions: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.pending) }
    var toStates: Set<StateType?> { StateTypes.of(.running, .cancelling) }

    func afterTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, !context.clientMaintainsLeases,
            let leaseID = initial.stateDetails.deploymentConcurrencyLeaseID
        else { return }
        try ConcurrencySlots.revokeLease(context.db, id: leaseID)
    }
}
