import Foundation
import GRDB
import PrefectSchemas

/// Slots of global concurrency limits (table `concurrency_limit_v2`) and their leases (table
/// `concurrency_lease`): Prefect's `models/concurrency_limits_v2.py` and its
/// `ConcurrencyLeaseStorage` (`prefect/server/concurrency/lease_storage/memory.py`).
enum ConcurrencySlots {
    /// `active_slots_after_decay`: the active slots less what decayed since the last update.
    static func activeAfterDecay(now: Int64) -> String {
        "MAX(0, active_slots - CAST(slot_decay_per_second * ((\(now) - updated) / 1000000.0) AS INTEGER))"
    }

    /// `denied_slots_after_decay`: denied slots decay at `slot_decay_per_second` for a rate
    /// limit, else at one per (clamped) average occupancy.
    private static func deniedAfterDecay(now: Int64) -> String {
        let waits = ConcurrencyWaits.current
        let maximumWait = "(CASE WHEN name LIKE 'tag:%' THEN \(waits.tagSeconds) ELSE \(waits.maximumSeconds) END)"
        let occupancy = "MAX(\(minimumOccupancySecondsPerSlot), MIN(avg_slot_occupancy_seconds, \(maximumWait)))"
        let rate = "(CASE WHEN slot_decay_per_second > 0 THEN slot_decay_per_second ELSE 1.0 / \(occupancy) END)"
        return "MAX(0, denied_slots - CAST(\(rate) * ((\(now) - updated) / 1000000.0) AS INTEGER))"
    }

    /// `MINIMUM_OCCUPANCY_SECONDS_PER_SLOT`.
    static let minimumOccupancySecondsPerSlot = 0.1
    /// `OCCUPANCY_SAMPLES_MULTIPLIER`: the average occupancy is over `limit × 2` samples.
    static let occupancySamplesMultiplier = 2.0

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
                UPDATE concurrency_limit_v2
                SET active_slots = \(activeAfterDecay(now: stamp)) + ?, denied_slots = \(deniedAfterDecay(now: stamp)), updated = ?
                WHERE id IN (\(SQLCondition.placeholders(ids.count)))
                """,
            arguments: StatementArguments([slots, stamp] + ids.map { $0 as any DatabaseValueConvertible }))
        return true
    }

    /// `bulk_update_denied_slots`: a refused request adds `slots` to each active limit's
    /// denied slots (what the next `Retry-After` grows with).
    static func deny(_ db: Database, limitIDs: [UUID], slots: Int, now: Date) throws {
        guard !limitIDs.isEmpty else { return }
        let stamp = StoredTime.micros(now)
        let ids = limitIDs.map(\.prefectString)
        try db.execute(
            sql: """
                UPDATE concurrency_limit_v2 SET denied_slots = \(deniedAfterDecay(now: stamp)) + ?, updated = ?
                WHERE id IN (\(SQLCondition.placeholders(ids.count))) AND active = 1
                """,
            arguments: StatementArguments([slots, stamp] + ids.map { $0 as any DatabaseValueConvertible }))
    }

    /// `bulk_decrement_active_slots`: gives `slots` back to each active limit (never below zero)
    /// and, with `occupancySeconds`, moves its average occupancy per slot towards that sample;
    /// false when one of them is missing or inactive.
    @discardableResult
    static func decrement(_ db: Database, limitIDs: [UUID], slots: Int, occupancySeconds: Double? = nil, now: Date) throws -> Bool {
        guard !limitIDs.isEmpty else { return true }
        let stamp = StoredTime.micros(now)
        let ids = limitIDs.map(\.prefectString)
        var average = ""
        if let occupancySeconds, occupancySeconds > 0, slots > 0 {
            let perSlot = max(occupancySeconds / Double(slots), minimumOccupancySecondsPerSlot)
            let samples = "(\"limit\" * \(occupancySamplesMultiplier))"
            average = ", avg_slot_occupancy_seconds = CASE WHEN \"limit\" > 0 THEN avg_slot_occupancy_seconds + \(perSlot) / \(samples) - avg_slot_occupancy_seconds / \(samples) ELSE avg_slot_occupancy_seconds END"
        }
        try db.execute(
            sql: """
                UPDATE concurrency_limit_v2
                SET active_slots = MAX(0, \(activeAfterDecay(now: stamp)) - ?), denied_slots = \(deniedAfterDecay(now: stamp)), updated = ?\(average)
                WHERE id IN (\(SQLCondition.placeholders(ids.count))) AND active = 1
                """,
            arguments: StatementArguments([slots, stamp] + ids.map { $0 as any DatabaseValueConvertible }))
        return db.changesCount == ids.count
    }

    /// A lease on `slots` of the limits until `ttl` from now; its id.
    static func createLease(
        _ db: Database, limitIDs: [UUID], slots: Int, ttl: TimeInterval, holder: ConcurrencyLeaseHolder? = nil, now: Date
    ) throws -> UUID {
        let id = UUID.version4()
        try db.execute(
            sql: "INSERT INTO concurrency_lease (id, resource_ids, expiration, slots, holder, created) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id.prefectString, try JSONText.encode(limitIDs.map(\.prefectString)),
                        StoredTime.micros(now.addingTimeInterval(ttl)), slots, try holder.map(JSONText.encode), StoredTime.micros(now)])
        return id
    }

    /// A lease's limits and slots (expired or not, as `read_lease` answers) and when it was made.
    static func lease(_ db: Database, id: UUID) throws -> (limitIDs: [UUID], slots: Int, created: Date?)? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT resource_ids, slots, created FROM concurrency_lease WHERE id = ?", arguments: [id.prefectString])
        else { return nil }
        let ids = (try JSONText.decode(try row.decode(forColumn: "resource_ids")))?.arrayValue?.compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) } ?? []
        return (ids, try row.decode(forColumn: "slots") ?? 1, (try row.decode(forColumn: "created") as Int64?).map(StoredTime.date))
    }

    /// `list_holders_for_limit`: the unexpired leases on `limitID` that name a holder.
    static func holders(_ db: Database, limitID: UUID, now: Date) throws -> [(leaseID: UUID, holder: ConcurrencyLeaseHolder)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, holder FROM concurrency_lease
                WHERE expiration > ? AND holder IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(resource_ids) WHERE value = ?)
                ORDER BY rowid
                """,
            arguments: [StoredTime.micros(now), limitID.prefectString]
        ).compactMap { row in
            guard let lease = (try row.decode(forColumn: "id") as String?).flatMap(UUID.init(uuidString:)), let text = try row.decode(forColumn: "holder") as String?,
                let holder = try? PrefectJSON.decode(ConcurrencyLeaseHolder.self, from: Data(text.utf8))
            else { return nil }
            return (lease, holder)
        }
    }

    /// Revokes every unexpired lease on `limitID` without giving its slots back (what Prefect's
    /// tag reset and delete do with `read_active_lease_ids`).
    static func revokeLeases(_ db: Database, limitID: UUID, now: Date) throws {
        try db.execute(
            sql: "DELETE FROM concurrency_lease WHERE expiration > ? AND EXISTS (SELECT 1 FROM json_each(resource_ids) WHERE value = ?)",
            arguments: [StoredTime.micros(now), limitID.prefectString])
    }

    /// `renew_lease`: false when there is no such lease.
    static func renewLease(_ db: Database, id: UUID, ttl: TimeInterval, now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE concurrency_lease SET expiration = ? WHERE id = ?",
            arguments: [StoredTime.micros(now.addingTimeInterval(ttl)), id.prefectString])
        return db.changesCount > 0
    }

    /// The unexpired leases `runID` holds.
    static func leases(_ db: Database, heldBy runID: UUID, now: Date) throws -> [UUID] {
        try String.fetchAll(
            db, sql: "SELECT id FROM concurrency_lease WHERE json_extract(holder, '$.id') = ? AND expiration > ? ORDER BY rowid",
            arguments: [runID.prefectString, StoredTime.micros(now)]
        ).compactMap(UUID.init(uuidString:))
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
}
