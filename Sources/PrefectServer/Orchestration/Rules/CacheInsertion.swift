import PrefectSchemas

/// A Completed task state with a cache key is stored in the cache after it is written; a key
/// longer than 2,000 characters is refused (Prefect's `CacheInsertion` and its
/// `PREFECT_SERVER_TASKS_MAX_CACHE_KEY_LENGTH` default).
struct CacheInsertion: OrchestrationRule {
    static let maximumKeyLength = 2000
    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.completed) }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let proposed = context.proposedState, let key = proposed.stateDetails.cacheKey,
            key.count > Self.maximumKeyLength
        else { return }
        context.reject(
            with: proposed, reason: "Cache key exceeded maximum allowed length of \(Self.maximumKeyLength) characters.")
    }

    func afterTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard let validated = context.validatedState, let key = validated.stateDetails.cacheKey else { return }
        try TaskRunStore.insertCacheEntry(
            context.db, key: key, expiration: validated.stateDetails.cacheExpiration, stateID: validated.id, now: context.now)
    }
}
