import Foundation
import PrefectSchemas

/// Two states of one flow run never share a timestamp: a colliding proposal moves forward by
/// one microsecond until it is unique (Prefect's `EnsureFlowRunStateTimestampIsUnique`).
struct EnsureFlowRunStateTimestampIsUnique: UniversalTransform {
    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard var timestamp = context.proposedState?.timestamp else { return }
        while try FlowRunStore.hasState(context.db, flowRunID: context.run.id, at: timestamp) {
            timestamp = StoredTime.date(StoredTime.micros(timestamp) + 1)
        }
        context.proposedState?.timestamp = timestamp
    }
}
