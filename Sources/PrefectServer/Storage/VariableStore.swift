import Foundation
import GRDB
import PrefectSchemas

/// Variables in table `variable` (Prefect's `models/variables.py`).
enum VariableStore {
    /// Inserts the variable and announces it (`prefect.variable.created`); a taken name
    /// violates the table's unique constraint.
    static func create(_ db: Database, _ create: VariableBodies.Create, now: Date) throws -> Variable {
        let stamp = StoredTime.truncated(now)
        let variable = Variable(id: UUID.version4(), created: stamp, updated: stamp, name: create.name, value: create.value, tags: create.tags)
        try db.execute(
            sql: "INSERT INTO variable (id, name, created, updated, tags, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [variable.id.prefectString, variable.name, StoredTime.micros(stamp), StoredTime.micros(stamp),
                        try JSONText.encode(variable.tags), try ServerJSON.encode(variable)])
        try ServerEvents.emit(db, LifecycleEvent.variable(.created, variable, now: now))
        return variable
    }

    /// Whether a variable has this name.
    static func exists(_ db: Database, name: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM variable WHERE name = ?)", arguments: [name]) ?? false
    }

    static func read(_ db: Database, id: UUID) throws -> Variable? {
        try decode(Data.fetchOne(db, sql: "SELECT body FROM variable WHERE id = ?", arguments: [id.prefectString]))
    }

    static func read(_ db: Database, name: String) throws -> Variable? {
        try decode(Data.fetchOne(db, sql: "SELECT body FROM variable WHERE name = ?", arguments: [name]))
    }

    /// The JSON bodies of the variables that match, in `sort` order (name ascending by default).
    static func filter(_ db: Database, _ filter: VariableFilter?, sort: VariableSort?, page: Page) throws -> [Data] {
        let condition = filter?.sqlCondition()
        let order = switch sort ?? .nameAsc {
        case .createdDesc: "created DESC"
        case .updatedDesc: "updated DESC"
        case .nameDesc: "name DESC"
        default: "name ASC"
        }
        return try Data.fetchAll(
            db, sql: "SELECT body FROM variable WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page.sql)",
            arguments: condition?.statementArguments ?? [])
    }

    static func count(_ db: Database, _ filter: VariableFilter?) throws -> Int {
        let condition = filter?.sqlCondition()
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM variable WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// Applies the members the update has; false when no such variable exists. Setting the
    /// name to null or to a taken name violates the table's constraints, as in Prefect. An
    /// update is announced (`prefect.variable.updated`).
    static func update(_ db: Database, _ variable: Variable?, _ changes: VariableBodies.Changes, now: Date) throws -> Bool {
        guard var variable else { return false }
        if let name = changes.name {
            guard let name else { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "variable.name may not be null") }
            variable.name = name
        }
        if let value = changes.value { variable.value = value }
        if let tags = changes.tags { variable.tags = tags ?? [] }
        variable.updated = StoredTime.truncated(now)
        try db.execute(
            sql: "UPDATE variable SET name = ?, updated = ?, tags = ?, body = ? WHERE id = ?",
            arguments: [variable.name, StoredTime.micros(now), try JSONText.encode(variable.tags), try ServerJSON.encode(variable),
                        variable.id.prefectString])
        try ServerEvents.emit(db, LifecycleEvent.variable(.updated, variable, now: now))
        return true
    }

    /// Deletes the variable and announces it (`prefect.variable.deleted`); false when it does
    /// not exist.
    static func delete(_ db: Database, _ variable: Variable?, now: Date) throws -> Bool {
        guard let variable else { return false }
        try db.execute(sql: "DELETE FROM variable WHERE id = ?", arguments: [variable.id.prefectString])
        try ServerEvents.emit(db, LifecycleEvent.variable(.deleted, variable, now: now))
        return true
    }

    private static func decode(_ body: Data?) throws -> Variable? {
        try body.map { try PrefectJSON.decode(Variable.self, from: $0) }
    }
}
