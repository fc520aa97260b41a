import Foundation
import GRDB
import PrefectSchemas

/// Global concurrency limits (table `concurrency_limit_v2`): Prefect's
/// `models/concurrency_limits_v2.py` and the answers of `api/concurrency_limits_v2.py`.
enum GlobalConcurrencyLimitStore {
    /// A stored limit, its active slots already decayed to `now`.
    struct Stored: Sendable {
        var id: UUID
        var created: Int64?
        var updated: Int64?
        var active: Bool
        var name: String
        var limit: Int64
        var activeSlots: Int64
        var deniedSlots: Int64
        var slotDecayPerSecond: Double
        var avgSlotOccupancySeconds: Double

        /// `GlobalConcurrencyLimitResponse`.
        var response: JSONValue {
            .object([
                "id": .string(id.prefectString), "created": StoredTime.json(created), "updated": StoredTime.json(updated),
                "active": .bool(active), "name": .string(name), "limit": .int(limit), "active_slots": .int(activeSlots),
                "slot_decay_per_second": .double(slotDecayPerSecond),
            ])
        }

        /// `schemas.core.ConcurrencyLimitV2`: the response and the denied slots and occupancy.
        var core: JSONValue {
            guard case .object(var members) = response else { return response }
            members["denied_slots"] = .int(deniedSlots)
            members["avg_slot_occupancy_seconds"] = .double(avgSlotOccupancySeconds)
            return .object(members)
        }

        /// The tag of a `tag:` limit (the v1 API's view), else nil.
        var tag: String? {
            name.hasPrefix(Self.tagPrefix) ? String(name.dropFirst(Self.tagPrefix.count)) : nil
        }

        static let tagPrefix = "tag:"
    }

    /// What a create sets (`ConcurrencyLimitV2Create`, defaults filled in).
    struct Create: Sendable {
        var name: String
        var limit: Int64
        var active = true
        var activeSlots: Int64 = 0
        var deniedSlots: Int64 = 0
        var slotDecayPerSecond = 0.0
    }

    /// The columns an update sets, with their values (`exclude_unset`).
    typealias Changes = [(column: String, value: DatabaseValue)]

    /// The columns of `Stored`; active slots decayed to `now`, or as stored for nil (what an
    /// ORM relationship, such as a deployment's limit, shows).
    private static func columns(now: Date?) -> String {
        let active = now.map { ConcurrencySlots.activeAfterDecay(now: StoredTime.micros($0)) } ?? "active_slots"
        return "id, created, updated, active, name, \"limit\", \(active) AS decayed, denied_slots, slot_decay_per_second, avg_slot_occupancy_seconds"
    }

    /// Inserts the limit and announces it (`prefect.concurrency-limit.created`).
    static func create(_ db: Database, _ create: Create, now: Date) throws -> Stored {
        let id = UUID.version4()
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO concurrency_limit_v2 (id, created, updated, active, name, "limit", active_slots, denied_slots, slot_decay_per_second)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id.prefectString, stamp, stamp, create.active, create.name, create.limit, create.activeSlots,
                        create.deniedSlots, create.slotDecayPerSecond])
        let stored = Stored(
            id: id, created: stamp, updated: stamp, active: create.active, name: create.name, limit: create.limit,
            activeSlots: create.activeSlots, deniedSlots: create.deniedSlots, slotDecayPerSecond: create.slotDecayPerSecond,
            avgSlotOccupancySeconds: initialOccupancySeconds)
        try ServerEvents.emit(db, LifecycleEvent.concurrencyLimit(.created, stored, now: now))
        return stored
    }

    /// The column default of `avg_slot_occupancy_seconds` (Prefect's ORM default).
    static let initialOccupancySeconds = 2.0

    static func read(_ db: Database, id: UUID, now: Date?) throws -> Stored? {
        try Row.fetchOne(db, sql: "SELECT \(columns(now: now)) FROM concurrency_limit_v2 WHERE id = ?", arguments: [id.prefectString])
            .flatMap(stored)
    }

    static func read(_ db: Database, name: String, now: Date) throws -> Stored? {
        try Row.fetchOne(db, sql: "SELECT \(columns(now: now)) FROM concurrency_limit_v2 WHERE name = ?", arguments: [name])
            .flatMap(stored)
    }

    /// A limit by id when `idOrName` is a UUID, else by name (the `{id_or_name}` routes).
    static func read(_ db: Database, idOrName: String, now: Date) throws -> Stored? {
        if let id = UUID(uuidString: idOrName) { return try read(db, id: id, now: now) }
        return try read(db, name: idOrName, now: now)
    }

    /// `bulk_read_concurrency_limits`: the limits called any of `names`.
    static func read(_ db: Database, names: [String], now: Date) throws -> [Stored] {
        guard !names.isEmpty else { return [] }
        return try Row.fetchAll(
            db, sql: "SELECT \(columns(now: now)) FROM concurrency_limit_v2 WHERE name IN (\(SQLCondition.placeholders(names.count)))",
            arguments: StatementArguments(names)
        ).compactMap(stored)
    }

    /// All limits by name, one page.
    static func page(_ db: Database, limit: Int, offset: Int, now: Date) throws -> [Stored] {
        try Row.fetchAll(
            db, sql: "SELECT \(columns(now: now)) FROM concurrency_limit_v2 ORDER BY name LIMIT ? OFFSET ?", arguments: [limit, offset]
        ).compactMap(stored)
    }

    /// Sets `changes` on the limit; false when there is none.
    /// Sets the columns and announces the limit as it now is (`prefect.concurrency-limit.updated`).
    static func update(_ db: Database, id: UUID, _ changes: Changes, now: Date) throws -> Bool {
        var sets = changes.map { "\"\($0.column)\" = ?" }
        var values = changes.map(\.value)
        sets.append("updated = ?")
        values.append(StoredTime.micros(now).databaseValue)
        try db.execute(
            sql: "UPDATE concurrency_limit_v2 SET \(sets.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(values + [id.prefectString.databaseValue]))
        guard db.changesCount > 0 else { return false }
        if let stored = try read(db, id: id, now: nil) {
            try ServerEvents.emit(db, LifecycleEvent.concurrencyLimit(.updated, stored, now: now))
        }
        return true
    }

    /// Deletes the limit and announces it (`prefect.concurrency-limit.deleted`).
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        guard let stored = try read(db, id: id, now: nil) else { return false }
        try db.execute(sql: "DELETE FROM concurrency_limit_v2 WHERE id = ?", arguments: [id.prefectString])
        try ServerEvents.emit(db, LifecycleEvent.concurrencyLimit(.deleted, stored, now: now))
        return true
    }

    private static func stored(_ row: Row) throws -> Stored? {
        guard let id = (try row.decode(forColumn: "id") as String?).flatMap(UUID.init(uuidString:)), let name = try row.decode(forColumn: "name") as String? else { return nil }
        return Stored(
            id: id, created: try row.decode(forColumn: "created"), updated: try row.decode(forColumn: "updated"), active: try row.decode(forColumn: "active") ?? true, name: name,
            limit: try row.decode(forColumn: "limit") ?? 0, activeSlots: try row.decode(forColumn: "decayed") ?? 0, deniedSlots: try row.decode(forColumn: "denied_slots") ?? 0,
            slotDecayPerSecond: try row.decode(forColumn: "slot_decay_per_second") ?? 0, avgSlotOccupancySeconds: try row.decode(forColumn: "avg_slot_occupancy_seconds") ?? initialOccupancySeconds)
    }
}
