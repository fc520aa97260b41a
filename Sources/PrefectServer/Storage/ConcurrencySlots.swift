import Foundation
import GRDB
import PrefectSchemas

/// Slots of global concurrency limits (table `concurrency_limit_v2`) and their leases (table
/// `concurrency_lease`): Prefect's `models/concurrency_limits_v2.py` and its
/// `ConcurrencyLeaseStorage` (`prefect/server/concurrency/lease_storage/memory.py`).
enum ConcurrencySlots {
    /// `active_slots_after_decay`: the active slots less what decayed since the last update.
    private static func activeAfterDecay(now: Int64) -> String {
        "MAX(0, active_slots - CAST(slot_decay_per_second * ((\(now) - updated) / 1000000.0) AS INTEGER))"
    }

    /// `bulk_increment_active_slots`: takes `slots` of every limit, or of none when one lacks
    /// room or is inactive.
    static func increment(_ db: Database, limitIDs: [UUID], slots: Int, now: Date) throws -> Bool {
        guard !limitIDs.isEmpty else { return true }
        let stamp = StoredTime.micros(now)
        let ids = limitIDs.map(\.prefectString)
        let fits = try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM concurrency_limit_v2
                WHERE id IN (\(SQLCondition.placeholders(ids.count))) AND active = 1 AND \(activeAfterDecay(now: stamp)) + ? <= "limit"
                """,
            arguments: StatementArguments(ids.map { $0 as any DatabaseValueConvertible } + [slots])) ?? 0
        guard fits == ids.count else { return false }
        try db.execute(
            sql: """
                UPDATE concurrency_limit_v2 SET active_slots = \(activeAfterDecay(now: stamp)) + ?, updated = ?
                WHERE id IN (\(SQLCondition.placeholders(ids.count)))
                """,
            arguments: StatementArguments([slots, stamp] + ids.map { $0 as any DatabaseValueConvertible }))
        return true
    }

    /// `bulk_decrement_active_slots`: gives `slots` back to each active limit (never below zero);
    /// false when one of them is missing or inactive.
    @discardableResult
    static func decrement(_ db: Database, limitIDs: [UUID], slots: Int, now: Date) throws -> Bool {
        guard !limitIDs.isEmpty else { return true }
        let stamp = StoredTime.micros(now)
        let ids = limitIDs.map(\.prefectString)
        try db.execute(
            sql: """
                UPDATE concurrency_limit_v2 SET active_slots = MAX(0, \(activeAfterDecay(now: stamp)) - ?), updated = ?
                WHERE id IN (\(SQLCondition.placeholders(ids.count))) AND active = 1
                """,
            arguments: StatementArguments([slots, stamp] + ids.map { $0 as any DatabaseValueConvertible }))
        return db.changesCount == ids.count
    }

    /// A lease on `slots` of the limits until `ttl` from now; its id.
    static func createLease(_ db: Database, limitIDs: [UUID], slots: Int, ttl: TimeInterval, holder: JSONValue? = nil, now: Date) throws -> UUID {
        let id = UUID()
        try db.execute(
            sql: "INSERT INTO concurrency_lease (id, resource_ids, expiration, slots, holder) VALUES (?, ?, ?, ?, ?)",
            arguments: [id.prefectString, try JSONText.encode(limitIDs.map(\.prefectString)),
                        StoredTime.micros(now.addingTimeInterval(ttl)), slots, try holder.map(JSONText.encode)])
        return id
    }

    /// A lease's limits and slots (expired or not, as `read_lease` answers).
    static func lease(_ db: Database, id: UUID) throws -> (limitIDs: [UUID], slots: Int)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT resource_ids, slots FROM concurrency_lease WHERE id = ?", arguments: [id.prefectString])
        else { return nil }
        let ids = (try JSONText.decode(row["resource_ids"]))?.arrayValue?.compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) } ?? []
        return (ids, row["slots"] ?? 1)
    }

    /// `renew_lease`: false when there is no such lease.
    static func renewLease(_ db: Database, id: UUID, ttl: TimeInterval, now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE concurrency_lease SET expiration = ? WHERE id = ?",
            arguments: [StoredTime.micros(now.addingTimeInterval(ttl)), id.prefectString])
        return db.changesCount > 0
    }

    static func revokeLease(_ db: Database, id: UUID) throws {
        try db.execute(sql: "DELETE FROM concurrency_lease WHERE id = ?", arguments: [id.prefectString])
    }

    /// `_release_concurrency_lease`: the lease's slots go back and the lease is revoked; without
    /// the lease, one slot of each fallback limit goes back.
    static func releaseLease(_ db: Database, id: UUID, fallbackLimitIDs: [UUID], now: Date) throws {
        guard let lease = try lease(db, id: id) else {
            try decrement(db, limitIDs: fallbackLimitIDs, slots: 1, now: now)
            return
        }
        try decrement(db, limitIDs: lease.limitIDs, slots: lease.slots, now: now)
        try revokeLease(db, id: id)
    }

    /// The ids of up to `limit` leases expired by `now`.
    static func expiredLeases(_ db: Database, now: Date, limit: Int) throws -> [UUID] {
        try String.fetchAll(
            db, sql: "SELECT id FROM concurrency_lease WHERE expiration < ? ORDER BY expiration LIMIT ?",
            arguments: [StoredTime.micros(now), limit]
        ).compactMap(UUID.init(uuidString:))
    }
}
