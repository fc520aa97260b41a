import PrefectSchemas

/// Leaving Paused (Prefect's `HandleResumingPausedFlows`): only to Running, Scheduled,
/// Cancelling or a final state; a suspended run needs a deployment to be rescheduled; an expired
/// pause fails the run. Afterwards the run is marked as resuming, or, rescheduled from a
/// blocking pause, as a fresh reschedule.
struct HandleResumingPausedFlows: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.of(.paused) }
    var toStates: Set<StateType?> { StateTypes.all }

    func beforeTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        guard let initial = context.initialState, let proposed = context.proposedState else { return }
        guard proposed.isRunning || proposed.isScheduled || proposed.isCancelling || proposed.isFinal else {
            context.reject(
                with: nil,
                reason: "This run cannot transition to the \(proposed.type.pythonEnumName) state from the \(initial.type.pythonEnumName) state.")
            return
        }
        let verb = proposed.name == "Suspended" ? "suspend" : "pause"
        let displayName = proposed.name.map { $0.lowercased() } ?? proposed.type.rawValue.lowercased()
        if initial.stateDetails.pauseReschedule, context.run.deploymentID == nil {
            context.reject(with: nil, reason: "Cannot reschedule a \(displayName) flow run without a deployment.")
            return
        }
        if proposed.isCancelling { return }
        if let timeout = initial.stateDetails.pauseTimeout, timeout < context.now {
            context.reject(
                with: .new(.failed, message: "The flow was \(displayName) and never resumed.", now: context.now),
                reason: "The flow run \(verb) has timed out and can no longer resume.")
        }
    }

    func afterTransition(_ context: inout OrchestrationContext<FlowRun>) throws {
        if let initial = context.initialState, !initial.stateDetails.pauseReschedule,
            context.validatedState?.isScheduled == true, context.apiVersionIsAbsentOrAtLeast("0.8.4")
        {
            context.run.empiricalPolicy.resuming = false
            context.run.empiricalPolicy.pauseKeys = []
            context.run.empiricalPolicy.retryType = "reschedule"
        } else {
            context.run.empiricalPolicy.resuming = true
        }
    }
}

extension StateType {
    /// How Python prints the enum member in f-strings: `StateType.PENDING`.
    var pythonEnumName: String { "StateType.\(rawValue)" }
}
