import Foundation
import GRDB
import PrefectSchemas

/// Pausing and suspending (Prefect's `HandlePausingFlows`): only a running flow run can pause;
/// each `pause_key` fires once; a suspension (pause with reschedule) needs a deployment and a
/// top-level run. Afterwards the key is remembered and the run-input keys are cleared.
struct HandlePausingFlows: OrchestrationRule {
    private static let memoKey = "HandlePausingFlows.key"
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.paused) }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let proposed = context.proposedState else { return }
        let verb = proposed.name == "Suspended" ? "suspend" : "pause"
        guard let initial = context.initialState else {
            context.abort(reason: "Cannot \(verb) flows with no state.")
            return
        }
        guard initial.isRunning else {
            context.reject(with: nil, reason: "Cannot \(verb) flows that are not currently running.")
            return
        }
        let key = proposed.stateDetails.pauseKey ?? UUID.version4().prefectString
        context.memos[Self.memoKey] = .pauseKey(key)
        if (context.run.empiricalPolicy.pauseKeys ?? []).contains(key) {
            context.reject(with: nil, reason: "This \(verb) has already fired.")
            return
        }
        if proposed.stateDetails.pauseReschedule {
            if context.run.parentTaskRunID != nil {
                context.abort(reason: "Cannot \(verb) subflows.")
            } else if context.run.deploymentID == nil {
                context.abort(reason: "Cannot \(verb) flows without a deployment.")
            }
        }
    }

    func afterTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        if case .pauseKey(let key)? = context.memos[Self.memoKey] {
            var keys = context.run.empiricalPolicy.pauseKeys ?? []
            if !keys.contains(key) { keys.append(key) }
            context.run.empiricalPolicy.pauseKeys = keys
        }
        if let keyset = context.validatedState?.stateDetails.runInputKeyset {
            for key in keyset.values {
                _ = try FlowRunInputStore.delete(context.db, flowRunID: context.run.id, key: key)
            }
        }
    }
}
