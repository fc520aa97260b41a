import Foundation
import GRDB
import PrefectSchemas

/// Slots of tag limits held by task runs: the v1 `/concurrency_limits/increment` and
/// `/decrement` (`api/concurrency_limits.py`) on the `tag:{tag}` global limits, each slot
/// held through a lease whose holder is the task run.
enum TagSlots {
    enum Outcome: Sendable {
        /// `MinimalConcurrencyLimitResponse`s of the limits a slot was taken from.
        case acquired([JSONValue])
        /// 423 with this detail, and `Retry-After` when a limit is full.
        case refused(detail: String, retryAfter: Double?)
    }

    static func increment(_ db: Database, tags: [String], taskRunID: UUID, now: Date) throws -> Outcome {
        let prefix = GlobalConcurrencyLimitStore.Stored.tagPrefix
        let byName = Dictionary(
            try GlobalConcurrencyLimitStore.read(db, names: tags.map { prefix + $0 }, now: now).map { ($0.name, $0) },
            uniquingKeysWith: { first, _ in first })
        for tag in tags where byName[prefix + tag]?.limit == 0 {
            return .refused(detail: zeroLimitReason(tag), retryAfter: nil)
        }
        var wanted: [(tag: String, limit: GlobalConcurrencyLimitStore.Stored)] = []
        for tag in tags {
            if let limit = byName[prefix + tag], limit.active, !wanted.contains(where: { $0.limit.id == limit.id }) {
                wanted.append((tag, limit))
            }
        }
        guard !wanted.isEmpty else { return .acquired([]) }
        guard try ConcurrencySlots.increment(db, limitIDs: wanted.map(\.limit.id), slots: 1, now: now) else {
            return .refused(
                detail: "Concurrency limit for the \(wanted[0].tag) tag has been reached", retryAfter: ConcurrencyWaits.current.tagSeconds)
        }
        _ = try ConcurrencySlots.createLease(
            db, limitIDs: wanted.map(\.limit.id), slots: 1, ttl: ConcurrencyLimitRoutes.v1LeaseTTL,
            holder: ConcurrencyLeaseHolder(type: "task_run", id: taskRunID), now: now)
        return .acquired(wanted.map { SlotAcquisition.minimal(id: $0.limit.id, name: $0.tag, limit: $0.limit.limit) })
    }

    /// Gives back the task run's leases on the tags' limits; the limits (under their global names).
    static func decrement(_ db: Database, tags: [String], taskRunID: UUID, now: Date) throws -> [JSONValue] {
        let prefix = GlobalConcurrencyLimitStore.Stored.tagPrefix
        let limits = try GlobalConcurrencyLimitStore.read(db, names: tags.map { prefix + $0 }, now: now)
        try release(db, taskRunID: taskRunID, limits: limits, now: now)
        return limits.map { SlotAcquisition.minimal(id: $0.id, name: $0.name, limit: $0.limit) }
    }

    /// Releases every unexpired lease `taskRunID` holds on any of `limits`.
    static func release(_ db: Database, taskRunID: UUID, limits: [GlobalConcurrencyLimitStore.Stored], now: Date) throws {
        guard !limits.isEmpty else { return }
        let ids = Set(limits.map(\.id))
        for leaseID in try ConcurrencySlots.leases(db, heldBy: taskRunID, now: now) {
            guard let lease = try ConcurrencySlots.lease(db, id: leaseID), !ids.isDisjoint(with: lease.limitIDs) else { continue }
            try ConcurrencySlots.decrement(db, limitIDs: lease.limitIDs, slots: lease.slots, now: now)
            try ConcurrencySlots.revokeLease(db, id: leaseID)
        }
    }

    /// The reason a limit of 0 refuses a task run.
    static func zeroLimitReason(_ tag: String) -> String {
        "The concurrency limit on tag \"\(tag)\" is 0 and will deadlock if the task tries to run again."
    }
}
