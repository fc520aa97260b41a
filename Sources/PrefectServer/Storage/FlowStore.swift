import Foundation
import GRDB
import PrefectSchemas

/// Flows in table `flow` (Prefect's `models/flows.py`).
enum FlowStore {
    /// Creates the flow, or returns the existing one with the same name (Prefect's upsert
    /// on `name`, which leaves the existing flow unchanged); a new flow is announced with
    /// `prefect.flow.created`.
    static func create(_ db: Database, _ create: FlowCreate, now: Date) throws -> (flow: Flow, created: Bool) {
        if let existing = try read(db, name: create.name) { return (existing, false) }
        let stamp = StoredTime.truncated(now)
        let flow = Flow(id: UUID.version4(), created: stamp, updated: stamp, name: create.name, tags: create.tags, labels: create.labels)
        try db.execute(
            sql: "INSERT INTO flow (id, name, created, updated, tags, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [flow.id.prefectString, flow.name, StoredTime.micros(stamp), StoredTime.micros(stamp),
                        try JSONText.encode(flow.tags), try ServerJSON.encode(flow)])
        try ServerEvents.emit(db, LifecycleEvent.flow(.created, flow, now: now))
        return (flow, true)
    }

    static func read(_ db: Database, id: UUID) throws -> Flow? {
        try body(db, "SELECT body FROM flow WHERE id = ?", [id.prefectString]).map { try PrefectJSON.decode(Flow.self, from: $0) }
    }

    static func read(_ db: Database, name: String) throws -> Flow? {
        try body(db, "SELECT body FROM flow WHERE name = ?", [name]).map { try PrefectJSON.decode(Flow.self, from: $0) }
    }

    static func labels(_ db: Database, id: UUID) throws -> JSONObject {
        try read(db, id: id)?.labels ?? [:]
    }

    /// The JSON bodies of the flows that match, in `sort` order.
    static func filter(_ db: Database, _ query: RunQuery, sort: FlowSort?, page: Page) throws -> [Data] {
        let condition = query.flowCondition()
        let order = switch sort ?? .nameAsc {
        case .createdDesc: "flow.created DESC"
        case .updatedDesc: "flow.updated DESC"
        case .nameDesc: "flow.name DESC"
        default: "flow.name ASC"
        }
        return try Data.fetchAll(
            db, sql: "SELECT flow.body FROM flow WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page.sql)",
            arguments: condition?.statementArguments ?? [])
    }

    static func count(_ db: Database, _ query: RunQuery) throws -> Int {
        let condition = query.flowCondition()
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM flow WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// Applies `update` and announces it (`prefect.flow.updated`); false when the flow does not
    /// exist.
    static func update(_ db: Database, id: UUID, _ update: FlowUpdate, now: Date) throws -> Bool {
        guard var flow = try read(db, id: id) else { return false }
        if let tags = update.tags { flow.tags = tags }
        flow.updated = StoredTime.truncated(now)
        try db.execute(
            sql: "UPDATE flow SET updated = ?, tags = ?, body = ? WHERE id = ?",
            arguments: [StoredTime.micros(now), try JSONText.encode(flow.tags), try ServerJSON.encode(flow), id.prefectString])
        try ServerEvents.emit(db, LifecycleEvent.flow(.updated, flow, now: now))
        return true
    }

    /// Deletes the flow and, through the foreign keys, its runs, and announces it
    /// (`prefect.flow.deleted`); false when it does not exist.
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        guard let flow = try read(db, id: id) else { return false }
        try db.execute(sql: "DELETE FROM flow WHERE id = ?", arguments: [id.prefectString])
        try ServerEvents.emit(db, LifecycleEvent.flow(.deleted, flow, now: now))
        return true
    }

    private static func body(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Data? {
        try Data.fetchOneCached(db, sql: sql, arguments: arguments)
    }
}

/// JSON text for columns: arrays (tags, queried with SQLite's `json_each`) and JSON members
/// stored as columns (a work pool's job template, a queue's filter).
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try ServerJSON.encode(value), as: UTF8.self)
    }

    /// The JSON value of a text column; nil for NULL.
    static func decode(_ text: String?) throws -> JSONValue? {
        guard let text else { return nil }
        return try PrefectJSON.decode(JSONValue.self, from: Data(text.utf8))
    }
}
