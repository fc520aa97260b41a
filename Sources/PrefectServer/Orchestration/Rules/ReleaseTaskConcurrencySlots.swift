import PrefectSchemas

/// A task run whose new state is neither Running nor Cancelling gives back the slots it holds
/// on its tags' limits: every lease naming it as holder is released (Prefect's
/// `ReleaseTaskConcurrencySlots`, `core_policy.py`).
struct ReleaseTaskConcurrencySlots: UniversalTransform {
    func afterTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard context.proposedState != nil, let validated = context.validatedState,
            validated.type != .running, validated.type != .cancelling
        else { return }
        let tags = context.run.tags
        guard !tags.isEmpty else { return }
        let prefix = GlobalConcurrencyLimitStore.Stored.tagPrefix
        let limits = try GlobalConcurrencyLimitStore.read(context.db, names: tags.map { prefix + $0 }, now: context.now)
        try TagSlots.release(context.db, taskRunID: context.run.id, limits: limits, now: context.now)
    }
}
