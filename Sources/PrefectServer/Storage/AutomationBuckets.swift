import Foundation
import GRDB
import PrefectSchemas

/// One trigger's open window for one bucketing key (Prefect's `AutomationBucket`): from
/// `start` (inclusive) to `end` (exclusive), how many expected events it counted, and the last
/// event it saw.
struct AutomationBucket: Sendable {
    let automationID: UUID
    let triggerID: UUID
    let key: [String]
    var start: Date
    var end: Date
    var count: Int
    var lastEvent: JSONValue?
}

/// The buckets, held events and child firings of the triggers service, in tables
/// `automation_bucket`, `automation_held_event` and `composite_trigger_child_firing`
/// (Prefect's `triggers.py` bucket queries, `models/automation_held_events.py` and
/// `models/composite_trigger_child_firing.py`). Every function runs inside the caller's write.
enum AutomationBuckets {
    /// `HELD_EXPECT_EVENTS_RETENTION`: twice `PRECEDING_EVENT_LOOKBACK` (15 minutes).
    static let heldEventsRetention: TimeInterval = 30 * 60

    static func read(_ db: Database, _ trigger: ArmedTrigger, key: [String]) throws -> AutomationBucket? {
        try Row.fetchOne(
            db, sql: """
                SELECT bucket_start, bucket_end, count, last_event FROM automation_bucket
                WHERE automation_id = ? AND trigger_id = ? AND bucketing_key = ?
                """,
            arguments: [trigger.automationID.prefectString, trigger.id.prefectString, try keyText(key)]
        ).map { row in
            let lastEvent: Data? = row["last_event"]
            return AutomationBucket(
                automationID: trigger.automationID, triggerID: trigger.id, key: key,
                start: StoredTime.date(row["bucket_start"]), end: StoredTime.date(row["bucket_end"]), count: row["count"],
                lastEvent: try lastEvent.map { try PrefectJSON.decode(JSONValue.self, from: $0) })
        }
    }

    /// The trigger's buckets, earliest start first (`read_buckets_for_automation`).
    static func all(_ db: Database, _ trigger: ArmedTrigger) throws -> [AutomationBucket] {
        try Row.fetchAll(
            db, sql: """
                SELECT bucketing_key, bucket_start, bucket_end, count, last_event FROM automation_bucket
                WHERE automation_id = ? AND trigger_id = ? ORDER BY bucket_start
                """,
            arguments: [trigger.automationID.prefectString, trigger.id.prefectString]
        ).compactMap { row in
            let text: String = row["bucketing_key"]
            guard case .array(let parts)? = try? JSONText.decode(text) else { return nil }
            let lastEvent: Data? = row["last_event"]
            return AutomationBucket(
                automationID: trigger.automationID, triggerID: trigger.id, key: parts.compactMap(\.stringValue),
                start: StoredTime.date(row["bucket_start"]), end: StoredTime.date(row["bucket_end"]), count: row["count"],
                lastEvent: try lastEvent.map { try PrefectJSON.decode(JSONValue.self, from: $0) })
        }
    }

    /// `ensure_bucket`: the bucket for the key, created with `initialCount` plus the held events
    /// in its window when there is none; an existing one is left as it is.
    static func ensure(
        _ db: Database, _ trigger: ArmedTrigger, key: [String], start: Date, end: Date, lastEvent: JSONValue?, initialCount: Int = 0,
        now: Date
    ) throws -> AutomationBucket {
        if let existing = try read(db, trigger, key: key) { return existing }
        let count = initialCount + (trigger.holdsExpectEvents ? try heldEvents(db, trigger, key: key, from: start, to: end) : 0)
        try write(db, trigger, key: key, start: start, end: end, count: count, lastEvent: lastEvent, operation: "ensure_bucket[insert]", now: now)
        return AutomationBucket(automationID: trigger.automationID, triggerID: trigger.id, key: key, start: start, end: end, count: count, lastEvent: lastEvent)
    }

    /// `start_new_bucket`: the bucket for the key becomes this window, counting `count` plus the
    /// held events in it.
    static func startNew(
        _ db: Database, _ trigger: ArmedTrigger, key: [String], start: Date, end: Date, count: Int, lastEvent: JSONValue? = nil, now: Date
    ) throws -> AutomationBucket {
        let total = count + (trigger.holdsExpectEvents ? try heldEvents(db, trigger, key: key, from: start, to: end) : 0)
        try write(db, trigger, key: key, start: start, end: end, count: total, lastEvent: lastEvent, operation: "start_new_bucket", now: now)
        return AutomationBucket(automationID: trigger.automationID, triggerID: trigger.id, key: key, start: start, end: end, count: total, lastEvent: lastEvent)
    }

    /// `increment_bucket`: `count` more, and `lastEvent` as its last event when given.
    static func increment(_ db: Database, _ bucket: AutomationBucket, by count: Int, lastEvent: JSONValue?, now: Date) throws -> AutomationBucket {
        var updated = bucket
        updated.count += count
        if let lastEvent { updated.lastEvent = lastEvent }
        try db.execute(
            sql: """
                UPDATE automation_bucket SET count = count + ?, last_event = COALESCE(?, last_event),
                    last_operation = 'increment_bucket[update]', updated = ?
                WHERE automation_id = ? AND trigger_id = ? AND bucketing_key = ?
                """,
            arguments: [count, try lastEvent.map { try ServerJSON.encode($0) }, StoredTime.micros(now),
                        bucket.automationID.prefectString, bucket.triggerID.prefectString, try keyText(bucket.key)])
        return updated
    }

    static func remove(_ db: Database, _ bucket: AutomationBucket) throws {
        try db.execute(
            sql: "DELETE FROM automation_bucket WHERE automation_id = ? AND trigger_id = ? AND bucketing_key = ?",
            arguments: [bucket.automationID.prefectString, bucket.triggerID.prefectString, try keyText(bucket.key)])
    }

    /// `remove_buckets_exceeding_threshold`.
    static func removeExceedingThreshold(_ db: Database, _ trigger: ArmedTrigger) throws {
        try db.execute(
            sql: "DELETE FROM automation_bucket WHERE automation_id = ? AND trigger_id = ? AND count >= ?",
            arguments: [trigger.automationID.prefectString, trigger.id.prefectString, trigger.threshold])
    }

    /// `sweep_closed_buckets`: buckets that ended before `olderThan`.
    static func sweepClosed(_ db: Database, olderThan: Date) throws {
        try db.execute(sql: "DELETE FROM automation_bucket WHERE bucket_end <= ?", arguments: [StoredTime.micros(olderThan)])
    }

    private static func write(
        _ db: Database, _ trigger: ArmedTrigger, key: [String], start: Date, end: Date, count: Int, lastEvent: JSONValue?,
        operation: String, now: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO automation_bucket
                    (automation_id, trigger_id, bucketing_key, last_event, bucket_start, bucket_end, count, last_operation, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (automation_id, trigger_id, bucketing_key) DO UPDATE SET
                    last_event = excluded.last_event, bucket_start = excluded.bucket_start, bucket_end = excluded.bucket_end,
                    count = excluded.count, last_operation = excluded.last_operation, updated = excluded.updated
                """,
            arguments: [trigger.automationID.prefectString, trigger.id.prefectString, try keyText(key),
                        try lastEvent.map { try ServerJSON.encode($0) }, StoredTime.micros(start), StoredTime.micros(end), count,
                        operation, StoredTime.micros(now)])
    }

    static func keyText(_ key: [String]) throws -> String {
        try JSONText.encode(key)
    }
}

extension AutomationBuckets {
    /// `held_events_in_window`: held events for the key that occurred from `start` up to `end`.
    static func heldEvents(_ db: Database, _ trigger: ArmedTrigger, key: [String], from start: Date, to end: Date) throws -> Int {
        try Int.fetchOne(
            db, sql: """
                SELECT COUNT(*) FROM automation_held_event
                WHERE automation_id = ? AND trigger_id = ? AND bucketing_key = ? AND occurred >= ? AND occurred < ?
                """,
            arguments: [trigger.automationID.prefectString, trigger.id.prefectString, try keyText(key),
                        StoredTime.micros(start), StoredTime.micros(end)]) ?? 0
    }

    /// `is_held`.
    static func isHeld(_ db: Database, _ trigger: ArmedTrigger, key: [String], eventID: UUID) throws -> Bool {
        try Bool.fetchOne(
            db, sql: """
                SELECT 1 FROM automation_held_event
                WHERE automation_id = ? AND trigger_id = ? AND bucketing_key = ? AND event_id = ?
                """,
            arguments: [trigger.automationID.prefectString, trigger.id.prefectString, try keyText(key), eventID.prefectString]) ?? false
    }

    /// `hold_event`: holds the event, then drops the key's held events older than the horizon
    /// (from the newest held) and, in the event's `within`-wide slot, all but the first and
    /// last `threshold` events (a count at the threshold already stops a proactive trigger).
    static func hold(_ db: Database, _ trigger: ArmedTrigger, key: [String], eventID: UUID, occurred: Date, now: Date) throws {
        let base: [any DatabaseValueConvertible] = [trigger.automationID.prefectString, trigger.id.prefectString, try keyText(key)]
        let forKey = "automation_id = ? AND trigger_id = ? AND bucketing_key = ?"
        try db.execute(
            sql: """
                INSERT INTO automation_held_event (automation_id, trigger_id, bucketing_key, event_id, occurred, updated)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
            arguments: StatementArguments(base + [eventID.prefectString, StoredTime.micros(occurred), StoredTime.micros(now)]))
        let newest = try Int64.fetchOne(
            db, sql: "SELECT MAX(occurred) FROM automation_held_event WHERE \(forKey)", arguments: StatementArguments(base))
            ?? StoredTime.micros(occurred)
        let horizon = Int64(max(heldEventsRetention, trigger.within) * 1_000_000)
        try db.execute(
            sql: "DELETE FROM automation_held_event WHERE \(forKey) AND occurred < ?",
            arguments: StatementArguments(base + [newest - horizon]))
        let width = Int64(trigger.within * 1_000_000)
        guard width > 0 else { return }
        let occurredMicros = StoredTime.micros(occurred)
        let slotStart = occurredMicros - ((occurredMicros % width) + width) % width
        let inSlot = "\(forKey) AND occurred >= ? AND occurred < ?"
        let slotArguments = base + [slotStart, slotStart + width]
        try db.execute(
            sql: """
                DELETE FROM automation_held_event WHERE \(inSlot)
                AND rowid NOT IN (SELECT rowid FROM automation_held_event WHERE \(inSlot) ORDER BY occurred ASC, event_id ASC LIMIT ?)
                AND rowid NOT IN (SELECT rowid FROM automation_held_event WHERE \(inSlot) ORDER BY occurred DESC, event_id DESC LIMIT ?)
                """,
            arguments: StatementArguments(slotArguments + slotArguments + [trigger.threshold] + slotArguments + [trigger.threshold]))
    }

    /// `sweep_held_events`: held events older than the retention whose key has no bucket still
    /// open.
    static func sweepHeld(_ db: Database, now: Date) throws {
        try db.execute(
            sql: """
                DELETE FROM automation_held_event WHERE updated < ? AND NOT EXISTS (
                    SELECT 1 FROM automation_bucket b WHERE b.automation_id = automation_held_event.automation_id
                    AND b.trigger_id = automation_held_event.trigger_id AND b.bucketing_key = automation_held_event.bucketing_key
                    AND b.bucket_end > ?)
                """,
            arguments: [StoredTime.micros(now.addingTimeInterval(-heldEventsRetention)), StoredTime.micros(now)])
    }
}

extension AutomationBuckets {
    /// `upsert_child_firing`: the child's latest firing replaces its previous one.
    static func upsertChildFiring(_ db: Database, automationID: UUID, parentID: UUID, _ firing: Firing) throws {
        try db.execute(
            sql: """
                INSERT INTO composite_trigger_child_firing
                    (automation_id, parent_trigger_id, child_trigger_id, child_firing_id, child_fired_at, child_firing)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (automation_id, parent_trigger_id, child_trigger_id) DO UPDATE SET
                    child_firing_id = excluded.child_firing_id, child_fired_at = excluded.child_fired_at,
                    child_firing = excluded.child_firing
                """,
            arguments: [automationID.prefectString, parentID.prefectString, firing.triggerID.prefectString, firing.id.prefectString,
                        StoredTime.micros(firing.triggered), try ServerJSON.encode(firing)])
    }

    /// `get_child_firings`: the stored firings of the composite trigger's current children.
    static func childFirings(_ db: Database, automationID: UUID, _ parent: CompositeTriggerNode) throws -> [Firing] {
        try Data.fetchAll(
            db, sql: "SELECT child_firing FROM composite_trigger_child_firing WHERE automation_id = ? AND parent_trigger_id = ?",
            arguments: [automationID.prefectString, parent.id.prefectString]
        ).compactMap { try? PrefectJSON.decode(Firing.self, from: $0) }
            .filter { parent.childIDs.contains($0.triggerID) }
    }

    /// `clear_old_child_firings`.
    static func clearChildFirings(_ db: Database, automationID: UUID, parentID: UUID, firedBefore: Date) throws {
        try db.execute(
            sql: "DELETE FROM composite_trigger_child_firing WHERE automation_id = ? AND parent_trigger_id = ? AND child_fired_at < ?",
            arguments: [automationID.prefectString, parentID.prefectString, StoredTime.micros(firedBefore)])
    }

    /// `clear_child_firings`: deletes the given firings; answers those it deleted.
    static func clearChildFirings(_ db: Database, automationID: UUID, parentID: UUID, ids: [UUID]) throws -> Set<UUID> {
        var deleted: Set<UUID> = []
        for id in ids {
            try db.execute(
                sql: "DELETE FROM composite_trigger_child_firing WHERE automation_id = ? AND parent_trigger_id = ? AND child_firing_id = ?",
                arguments: [automationID.prefectString, parentID.prefectString, id.prefectString])
            if db.changesCount > 0 { deleted.insert(id) }
        }
        return deleted
    }
}
