import Foundation
import GRDB
import PrefectSchemas

/// Automations in tables `automation` and `automation_related_resource` (Prefect's
/// `server/events/models/automations.py`).
enum AutomationStore {
    /// Inserts the automation (members already normalized), relates the deployments its actions
    /// select and its owner, and announces it (`prefect.automation.created`, the automation as
    /// payload); answers it as the API does.
    static func create(_ db: Database, _ write: AutomationBodies.Write, now: Date) throws -> JSONValue {
        let id = UUID.version4()
        var body = write.members
        body["id"] = .string(id.prefectString)
        body["created"] = StoredTime.json(StoredTime.micros(now))
        body["updated"] = body["created"]
        try db.execute(
            sql: "INSERT INTO automation (id, created, updated, name, enabled, tags, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [id.prefectString, StoredTime.micros(now), StoredTime.micros(now), body["name"]?.stringValue ?? "",
                        body["enabled"]?.boolValue ?? true, try JSONText.encode(body["tags"] ?? []), try ServerJSON.encode(body)])
        try syncRelated(db, id: id, selected: write.selectedDeployments ?? [], now: now)
        if let owner = write.ownerResource {
            try relate(db, id: id, resource: owner, owned: true, now: now)
        }
        try ServerEvents.emit(db, LifecycleEvent.automation(.created, body, now: now))
        return .object(body)
    }

    static func read(_ db: Database, id: UUID) throws -> JSONValue? {
        try Data.fetchOne(db, sql: "SELECT body FROM automation WHERE id = ?", arguments: [id.prefectString])
            .map { try PrefectJSON.decode(JSONValue.self, from: $0) }
    }

    /// The automations that match, in `order`.
    static func filter(_ db: Database, _ condition: SQLCondition?, order: String, page: Page) throws -> [JSONValue] {
        try Data.fetchAll(
            db, sql: "SELECT body FROM automation WHERE \(condition?.sql ?? "1") ORDER BY \(order), rowid \(page.sql)",
            arguments: condition?.statementArguments ?? []
        ).map { try PrefectJSON.decode(JSONValue.self, from: $0) }
    }

    static func count(_ db: Database, _ condition: SQLCondition?) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM automation WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// Replaces the members `changes` sets (`PUT`, and `PATCH`'s `enabled`); false when there is
    /// no such automation. A replace re-relates the deployments its actions select. The
    /// automation as it now is is announced (`prefect.automation.updated`).
    static func update(_ db: Database, id: UUID, _ changes: JSONObject, selected: [UUID]?, now: Date) throws -> Bool {
        guard case .object(var body)? = try read(db, id: id) else { return false }
        body.merge(changes) { _, new in new }
        body["updated"] = StoredTime.json(StoredTime.micros(now))
        try db.execute(
            sql: "UPDATE automation SET updated = ?, name = ?, enabled = ?, tags = ?, body = ? WHERE id = ?",
            arguments: [StoredTime.micros(now), body["name"]?.stringValue ?? "", body["enabled"]?.boolValue ?? true,
                        try JSONText.encode(body["tags"] ?? []), try ServerJSON.encode(JSONValue.object(body)), id.prefectString])
        if let selected { try syncRelated(db, id: id, selected: selected, now: now) }
        try ServerEvents.emit(db, LifecycleEvent.automation(.updated, body, now: now))
        return true
    }

    /// Deletes the automation and its related resources and announces it
    /// (`prefect.automation.deleted`); false when there is none.
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        guard case .object(let body)? = try read(db, id: id) else { return false }
        try db.execute(sql: "DELETE FROM automation WHERE id = ?", arguments: [id.prefectString])
        try ServerEvents.emit(db, LifecycleEvent.automation(.deleted, body, now: now))
        return true
    }

    /// The automations related to `resource`, owned by it only when `ownedOnly`.
    static func related(_ db: Database, resource: String, ownedOnly: Bool = false, createdBefore: Date? = nil) throws -> [JSONValue] {
        var sql = """
            SELECT a.body FROM automation a JOIN automation_related_resource r ON r.automation_id = a.id
            WHERE r.resource_id = ?
            """
        var arguments: [any DatabaseValueConvertible] = [resource]
        if ownedOnly { sql += " AND r.automation_owned_by_resource = 1" }
        if let createdBefore {
            sql += " AND a.created <= ?"
            arguments.append(StoredTime.micros(createdBefore))
        }
        return try Data.fetchAll(db, sql: sql + " ORDER BY r.rowid", arguments: StatementArguments(arguments))
            .map { try PrefectJSON.decode(JSONValue.self, from: $0) }
    }

    /// `delete_automations_owned_by_resource`: the automations `resource` owns, created before `now`.
    static func deleteOwned(_ db: Database, resource: String, now: Date) throws {
        try db.execute(
            sql: """
                DELETE FROM automation WHERE created <= ? AND id IN (
                    SELECT automation_id FROM automation_related_resource
                    WHERE resource_id = ? AND automation_owned_by_resource = 1)
                """,
            arguments: [StoredTime.micros(now), resource])
    }

    /// `_sync_automation_related_resources`: the deployments `run-deployment` actions select are
    /// related (not owned); the previous such relations go.
    private static func syncRelated(_ db: Database, id: UUID, selected: [UUID], now: Date) throws {
        try db.execute(
            sql: """
                DELETE FROM automation_related_resource
                WHERE automation_id = ? AND resource_id LIKE 'prefect.deployment.%' AND automation_owned_by_resource = 0
                """,
            arguments: [id.prefectString])
        for deployment in Set(selected) {
            try relate(db, id: id, resource: "prefect.deployment.\(deployment.prefectString)", owned: false, now: now)
        }
    }

    /// `relate_automation_to_resource`: an existing relation stays owned once owned.
    private static func relate(_ db: Database, id: UUID, resource: String, owned: Bool, now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO automation_related_resource (id, created, updated, automation_id, resource_id, automation_owned_by_resource)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (automation_id, resource_id) DO UPDATE SET
                    automation_owned_by_resource = automation_owned_by_resource OR excluded.automation_owned_by_resource,
                    updated = excluded.updated
                """,
            arguments: [UUID.version4().prefectString, StoredTime.micros(now), StoredTime.micros(now), id.prefectString, resource, owned])
    }
}
