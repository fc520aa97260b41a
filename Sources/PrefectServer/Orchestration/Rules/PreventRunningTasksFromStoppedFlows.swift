import PrefectSchemas

/// A task runs only inside a running flow run: inside a paused one it pauses too ("NotReady"),
/// otherwise it is aborted (Prefect's `PreventRunningTasksFromStoppedFlows`).
struct PreventRunningTasksFromStoppedFlows: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let flowRun = try context.flowRun() else { return }
        guard let flowState = flowRun.state else {
            context.abort(reason: "The enclosing flow must be running to begin task execution.")
            return
        }
        if flowState.type == .paused {
            var details = StateDetails()
            details.pauseTimeout = flowState.stateDetails.pauseTimeout
            details.pauseReschedule = flowState.stateDetails.pauseReschedule
            context.reject(
                with: .new(.paused, name: "NotReady", details: details, now: context.now),
                reason: "The flow is paused, new tasks can execute after resuming flow run: \(flowRun.id.prefectString).")
        } else if flowState.type != .running {
            context.abort(reason: "The enclosing flow must be running to begin task execution.")
        }
    }
}
