import Foundation
import PrefectClient
import PrefectSchemas

/// A task run entering Running takes a slot of every active `tag:{tag}` limit of its tags, held
/// through a lease whose holder is the task run; an active limit of 0 aborts, a full one asks
/// the client to wait about as long as a slot is held on average, at most
/// `PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS` (Prefect's
/// `SecureTaskConcurrencySlots`, `core_policy.py`).
struct SecureTaskConcurrencySlots: OrchestrationRule {
    static let memoKey = "SecureTaskConcurrencySlots"

    var fromStates: Set<StateType?> { StateTypes.all }
    var toStates: Set<StateType?> { StateTypes.of(.running) }

    func beforeTransition(_ context: inout OrchestrationContext<TaskRun>) throws {
        let tags = context.run.tags
        guard !tags.isEmpty else { return }
        let prefix = GlobalConcurrencyLimitStore.Stored.tagPrefix
        let limits = try GlobalConcurrencyLimitStore.read(context.db, names: tags.map { prefix + $0 }, now: context.now)
        if let zero = limits.first(where: { $0.active && $0.limit == 0 }) {
            context.abort(reason: TagSlots.zeroLimitReason(zero.tag ?? zero.name))
            return
        }
        let active = limits.filter { $0.active && $0.limit > 0 }
        guard !active.isEmpty else { return }
        guard try ConcurrencySlots.increment(context.db, limitIDs: active.map(\.id), slots: 1, now: context.now) else {
            let maximum = ConcurrencyWaits.current.tagSeconds
            let blocking = active.max { Double($0.activeSlots) / Double($0.limit) < Double($1.activeSlots) / Double($1.limit) }
            let average = min(blocking.map { $0.avgSlotOccupancySeconds > 0 ? $0.avgSlotOccupancySeconds : maximum } ?? maximum, maximum)
            var generator = SystemRandomNumberGenerator()
            let delay = RetryPolicy.clampedPoissonInterval(average: average, clampingFactor: 0.3, using: &generator)
            context.delay(
                seconds: Int(saturating: delay.rounded(.toNearestOrEven)),
                reason: "Concurrency limit reached for tags: " + active.map { $0.tag ?? $0.name }.joined(separator: ", "))
            return
        }
        let lease = try ConcurrencySlots.createLease(
            context.db, limitIDs: active.map(\.id), slots: 1, ttl: ConcurrencyLimitRoutes.v1LeaseTTL,
            holder: ConcurrencyLeaseHolder(type: "task_run", id: context.run.id), now: context.now)
        context.memos[Self.memoKey] = .tagLease(lease)
    }

    /// The transition went elsewhere: the slots go back.
    func cleanup(_ context: inout OrchestrationContext<TaskRun>) throws {
        guard case .tagLease(let leaseID)? = context.memos[Self.memoKey] else { return }
        try ConcurrencySlots.releaseLease(context.db, id: leaseID, fallbackLimitIDs: [], now: context.now)
    }
}
