import PrefectSchemas

/// A task about to run with a cache key that has an unexpired cached state takes that state,
/// named "Cached", instead of running (Prefect's `CacheRetrieval`).
struct CacheRetrieval: OrchestrationRule {
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let proposed = context.proposedState, let key = proposed.stateDetails.cacheKey,
            proposed.stateDetails.refreshCache != true
        else { return }
        guard var cached = try TaskRunStore.cachedState(context.db, key: key, now: context.now) else { return }
        cached = cached.freshCopy(now: context.now)
        cached.name = "Cached"
        // A result that was never persisted cannot be read back: Prefect's cached state has none.
        if !State.isPersistedResult(cached.data) { cached.data = nil }
        context.reject(with: cached, reason: "Retrieved state from cache")
    }
}
