import PrefectSchemas

/// A background task run (its state `deferred`) that was scheduled is handed to the task
/// workers subscribed to its task key once the transition commits — a retry (`AwaitingRetry`)
/// ahead of the rest (Prefect's `EnqueueScheduledTasks`; the route hands it over, see
/// ``BackgroundTaskQueues``).
struct EnqueueScheduledTasks: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.scheduled) }

    func afterTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let validated = context.validatedState, validated.stateDetails.deferred == true else { return }
        context.enqueue = validated.name == "AwaitingRetry" ? .retry : .scheduled
    }
}
