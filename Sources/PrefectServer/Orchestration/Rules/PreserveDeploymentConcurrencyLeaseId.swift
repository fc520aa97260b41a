import PrefectSchemas

/// Keeps the deployment concurrency lease on every state of a run: a proposal without a lease
/// id takes the current state's (Prefect's `PreserveDeploymentConcurrencyLeaseId`).
struct PreserveDeploymentConcurrencyLeaseId: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let lease = context.initialState?.stateDetails.deploymentConcurrencyLeaseID,
            context.proposedState != nil, context.proposedState?.stateDetails.deploymentConcurrencyLeaseID == nil
        else { return }
        context.proposedState?.stateDetails.deploymentConcurrencyLeaseID = lease
    }
}

/// A universal transform placed among a policy's rules, where Prefect lists it: its before
/// hook runs in the policy's order, whatever the proposal became, and its after hook never
/// fizzles: it runs unless a rule failed.
struct TransformRule<Transform: UniversalTransform>: OrchestrationRule {
    typealias Run = Transform.Run
    let transform: Transform
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.all }
    var isUniversalTransform: Bool { true }

    func beforeTransition(_ context: inout OrchestrationContext<Run>) throws {
        try transform.beforeTransition(&context)
    }

    func afterTransition(_ context: inout OrchestrationContext<Run>) throws {
        try transform.afterTransition(&context)
    }
}
