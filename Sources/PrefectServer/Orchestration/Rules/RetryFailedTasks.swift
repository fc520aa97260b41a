import Foundation
import PrefectClient
import PrefectSchemas

/// A failed task run with retries left goes to "AwaitingRetry" after its retry delay — a list
/// of delays is indexed by attempt, and jittered when a jitter factor is set (Prefect's
/// `RetryFailedTasks`); a state marked `retriable: false` fails for good.
struct RetryFailedTasks: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.running) }
    var toStates: Set<StateType?> { StateTypes.of(.failed) }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard context.initialState != nil, let proposed = context.proposedState else { return }
        let policy = context.run.empiricalPolicy
        let runCount = context.run.runCount
        let baseDelay: Double = switch policy.retryDelay {
        case .array(let delays)? where !delays.isEmpty:
            delays[max(0, min(runCount - 1, delays.count - 1))].numberValue ?? 0
        case let value?: value.numberValue ?? 0
        case nil: 0
        }
        var delay = baseDelay
        if let jitter = policy.retryJitterFactor, jitter > 0, baseDelay > 0 {
            var generator = SystemRandomNumberGenerator()
            delay = RetryPolicy.clampedPoissonInterval(average: baseDelay, clampingFactor: jitter, using: &generator)
        }
        if proposed.stateDetails.retriable == false { return }
        guard let retries = policy.retries, runCount <= retries else { return }
        var details = StateDetails()
        details.scheduledTime = StoredTime.truncated(context.now.addingTimeInterval(delay))
        let retry = State.new(
            .scheduled, name: "AwaitingRetry", message: proposed.message, details: details, data: proposed.data, now: context.now)
        context.reject(with: retry, reason: "Retrying")
    }
}

extension JSONValue {
    /// The value as a Double when it is a number.
    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
