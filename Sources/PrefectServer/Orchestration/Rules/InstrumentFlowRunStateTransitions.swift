import Foundation
import PrefectSchemas

/// Every flow-run transition that wrote a state is announced: the
/// ``FlowRunStateChangeEvent`` is stored in the transition's transaction and reaches
/// `/events/out` subscribers once it commits (Prefect's `InstrumentFlowRunStateTransitions`,
/// `prefect/server/orchestration/instrumentation_policies.py`). Prefect's runner and workers
/// learn of a cancellation only from the `prefect.flow-run.Cancelling` event.
struct InstrumentFlowRunStateTransitions: UniversalTransform {
    func afterTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard context.proposedState != nil, let validated = context.validatedState else { return }
        let event = try FlowRunStateChangeEvent.make(context.db, run: context.run, initial: context.initialState, validated: validated)
        try EventStore.insert(context.db, [event], received: Date())
    }
}
