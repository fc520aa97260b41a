import Foundation
import PrefectSchemas

/// A failed flow run with retries left is scheduled again as "AwaitingRetry" after its retry
/// delay (Prefect's `RetryFailedFlows`).
struct RetryFailedFlows: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.running) }
    var toStates: Set<StateType?> { StateTypes.of(.failed) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        let policy = context.run.empiricalPolicy
        guard let retries = policy.retries, context.run.runCount <= retries else {
            context.run.empiricalPolicy.retryType = nil
            return
        }
        let scheduled = context.now.addingTimeInterval(Double(policy.retryDelay ?? 0))
        if context.apiVersionIsAbsentOrAtLeast("0.8.4") {
            context.run.empiricalPolicy.resuming = false
            context.run.empiricalPolicy.pauseKeys = []
            context.run.empiricalPolicy.retryType = "in_process"
        }
        var details = StateDetails()
        details.scheduledTime = StoredTime.truncated(scheduled)
        details.deploymentConcurrencyLeaseID = initial.stateDetails.deploymentConcurrencyLeaseID
        let retry = State.new(
            .scheduled, name: "AwaitingRetry", message: proposed.message, details: details, data: proposed.data, now: context.now)
        context.reject(with: retry, reason: "Retrying")
    }
}
