import Foundation
import GRDB
import PrefectSchemas

/// Artifacts (table `artifact`) and the latest artifact of each key (table
/// `artifact_collection`): Prefect's `models/artifacts.py`.
enum ArtifactStore {
    /// What a create sets (`ArtifactCreate`).
    struct Create: Sendable {
        var key: String?
        var type: String?
        var description: String?
        var data: JSONValue?
        var metadata: JSONValue?
        var flowRunID: UUID?
        var taskRunID: UUID?
    }

    /// The members an update sets (`ArtifactUpdate`, `exclude_unset`): column and JSON value.
    typealias Changes = [(column: String, value: JSONValue)]

    /// The table a read covers: every artifact, or the latest of each key.
    enum Table: String, Sendable {
        case artifact
        case collection = "artifact_collection"
    }

    private static let columns = "id, created, updated, key, type, description, data, metadata, flow_run_id, task_run_id"

    /// `create_artifact`: the artifact, and for a keyed one its key's collection row points at it
    /// (announced: `prefect.artifact-collection.created`, or `.updated` for a key seen before).
    static func create(_ db: Database, _ create: Create, now: Date) throws -> JSONValue {
        let id = UUID.version4()
        let stamp = StoredTime.micros(now)
        var collectionAction: LifecycleEvent.Action?
        let texts: [String?] = [
            create.key, create.type, create.description, try text(create.data), try text(create.metadata),
            create.flowRunID?.prefectString, create.taskRunID?.prefectString,
        ]
        let values: [any DatabaseValueConvertible] = texts.map { $0?.databaseValue ?? .null }
        if let key = create.key {
            let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM artifact_collection WHERE key = ?)", arguments: [key]) ?? false
            collectionAction = known ? .updated : .created
            try db.execute(
                sql: """
                    INSERT INTO artifact_collection (id, created, updated, latest_id, key, type, description, data, metadata, flow_run_id, task_run_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET latest_id = excluded.latest_id, updated = excluded.updated, type = excluded.type,
                        description = excluded.description, data = excluded.data, metadata = excluded.metadata,
                        flow_run_id = excluded.flow_run_id, task_run_id = excluded.task_run_id
                    """,
                arguments: StatementArguments([UUID.version4().prefectString, stamp, stamp, id.prefectString] + values))
        }
        try db.execute(
            sql: "INSERT INTO artifact (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: StatementArguments([id.prefectString, stamp, stamp] + values))
        if let collectionAction, let key = create.key, let event = try ArtifactCollectionEvents.event(db, collectionAction, key: key, now: now) {
            try ServerEvents.emit(db, event)
        }
        guard let created = try read(db, id: id) else { throw PrefectServerUnavailable(description: "created artifact unreadable") }
        return created
    }

    static func read(_ db: Database, id: UUID) throws -> JSONValue? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM artifact WHERE id = ?", arguments: [id.prefectString]).map { try answer($0) }
    }

    /// `read_latest_artifact`: the key's collection row, as an `Artifact`.
    static func readLatest(_ db: Database, key: String) throws -> JSONValue? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM artifact_collection WHERE key = ?", arguments: [key]).map { try answer($0) }
    }

    /// One page of `table`'s rows matching `condition`, in `order`; collection rows carry `latest_id`.
    static func filter(_ db: Database, _ table: Table, _ condition: SQLCondition?, order: String, page: Page) throws -> [JSONValue] {
        let selected = table == .collection ? columns + ", latest_id" : columns
        return try Row.fetchAll(
            db,
            sql: "SELECT \(selected) FROM \(table.rawValue) WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page.sql)",
            arguments: condition?.statementArguments ?? []
        ).map { try answer($0, latest: table == .collection) }
    }

    static func count(_ db: Database, _ table: Table, _ condition: SQLCondition?) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM \(table.rawValue) WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// `update_artifact`: the artifact and the collection row that points at it; false when neither exists.
    static func update(_ db: Database, id: UUID, _ changes: Changes, now: Date) throws -> Bool {
        var sets = ["updated = ?"]
        var values: [any DatabaseValueConvertible] = [StoredTime.micros(now)]
        for (column, value) in changes {
            sets.append("\(column) = ?")
            if column == "description" {
                values.append(value.stringValue ?? DatabaseValue.null)
            } else {
                values.append(try text(value) ?? DatabaseValue.null)
            }
        }
        try db.execute(
            sql: "UPDATE artifact SET \(sets.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(values + [id.prefectString]))
        var changed = db.changesCount
        try db.execute(
            sql: "UPDATE artifact_collection SET \(sets.joined(separator: ", ")) WHERE latest_id = ?",
            arguments: StatementArguments(values + [id.prefectString]))
        changed += db.changesCount
        return changed > 0
    }

    /// `delete_artifact`: when it was its key's latest, the next newest of the key takes its
    /// place in the collection (dates and all), or the collection row goes; either is announced
    /// (`prefect.artifact-collection.updated` / `.deleted`).
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        guard let key = try Row.fetchOne(db, sql: "SELECT key FROM artifact WHERE id = ?", arguments: [id.prefectString])
            .map({ $0["key"] as String? })
        else { return false }
        if let key, try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM artifact_collection WHERE key = ? AND latest_id = ?)",
            arguments: [key, id.prefectString]) == true
        {
            let next = try Row.fetchOne(
                db, sql: "SELECT \(columns) FROM artifact WHERE key = ? AND id != ? ORDER BY created DESC LIMIT 1",
                arguments: [key, id.prefectString])
            if let next {
                try db.execute(
                    sql: """
                        UPDATE artifact_collection SET latest_id = ?, data = ?, description = ?, type = ?, created = ?, updated = ?,
                            flow_run_id = ?, task_run_id = ?, metadata = ?
                        WHERE key = ?
                        """,
                    arguments: StatementArguments(
                        ["id", "data", "description", "type", "created", "updated", "flow_run_id", "task_run_id", "metadata"]
                            .map { next[$0] as DatabaseValue } + [key.databaseValue]))
                if let event = try ArtifactCollectionEvents.event(db, .updated, key: key, now: now) { try ServerEvents.emit(db, event) }
            } else {
                if let event = try ArtifactCollectionEvents.event(db, .deleted, key: key, now: now) { try ServerEvents.emit(db, event) }
                try db.execute(
                    sql: "DELETE FROM artifact_collection WHERE key = ? AND latest_id = ?", arguments: [key, id.prefectString])
            }
        }
        try db.execute(sql: "DELETE FROM artifact WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }

    /// JSON text for a column; NULL for none (Prefect stores `None` as SQL NULL).
    private static func text(_ value: JSONValue?) throws -> String? {
        guard let value, value != .null else { return nil }
        return try JSONText.encode(value)
    }

    /// `core.Artifact` (with `latest_id` for a collection row).
    private static func answer(_ row: Row, latest: Bool = false) throws -> JSONValue {
        func id(_ column: String) throws -> JSONValue { (try row.decode(forColumn: column) as String?).map(JSONValue.string) ?? .null }
        func string(_ column: String) throws -> JSONValue { (try row.decode(forColumn: column) as String?).map(JSONValue.string) ?? .null }
        var object: JSONObject = [
            "id": try id("id"), "created": StoredTime.json(try row.decode(forColumn: "created")), "updated": StoredTime.json(try row.decode(forColumn: "updated")),
            "key": try string("key"), "type": try string("type"), "description": try string("description"),
            "data": try JSONText.decode(try row.decode(forColumn: "data")) ?? .null, "metadata_": try JSONText.decode(try row.decode(forColumn: "metadata")) ?? .null,
            "flow_run_id": try id("flow_run_id"), "task_run_id": try id("task_run_id"),
        ]
        if latest { object["latest_id"] = try id("latest_id") }
        return .object(object)
    }
}
