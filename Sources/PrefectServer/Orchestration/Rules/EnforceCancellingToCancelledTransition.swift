import PrefectSchemas

/// A cancelling run may only become Cancelled (Prefect's `EnforceCancellingToCancelledTransition`).
struct EnforceCancellingToCancelledTransition: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.cancelling) }
    var toStates: Set<StateType?> { StateTypes.all.subtracting([.cancelled]) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        context.reject(with: nil, reason: "Cannot transition flows that are cancelling to a state other than Cancelled.")
    }
}
