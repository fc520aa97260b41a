import Foundation
import GRDB
import PrefectSchemas

/// The UI's saved searches (Prefect's `models/saved_searches.py`).
enum SavedSearchStore {
    /// `create_saved_search`: a new search, or the one of that name with its filters replaced.
    ///
    /// - Returns: the search as the API answers it, and whether it is new.
    static func upsert(_ db: Database, name: String, filters: JSONValue, now: Date) throws -> (JSONValue, created: Bool) {
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO saved_search (id, name, created, updated, filters) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET filters = excluded.filters, updated = excluded.updated
                """,
            arguments: [UUID.version4().prefectString, name, stamp, stamp, try JSONText.encode(filters)])
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM saved_search WHERE name = ?", arguments: [name]) else {
            throw StoredValueError(table: "saved_search", column: "name")
        }
        let created: Int64 = row["created"] ?? 0
        return (try answer(row), created == stamp)
    }

    static func read(_ db: Database, id: UUID) throws -> JSONValue? {
        try Row.fetchOne(db, sql: "SELECT * FROM saved_search WHERE id = ?", arguments: [id.prefectString]).map(answer)
    }

    /// `read_saved_searches`: by name.
    static func filter(_ db: Database, page: Page) throws -> [JSONValue] {
        try Row.fetchAll(db, sql: "SELECT * FROM saved_search ORDER BY name \(page.sql)").map(answer)
    }

    static func delete(_ db: Database, id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM saved_search WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }

    /// Prefect's `SavedSearch`: id, created, updated, name, filters.
    private static func answer(_ row: Row) throws -> JSONValue {
        let created: Int64 = row["created"] ?? 0
        let updated: Int64 = row["updated"] ?? 0
        let filters = try JSONText.decode(row["filters"] as String?) ?? .array([])
        let members: [(String, JSONValue)] = [
            ("id", .string(row["id"] ?? "")), ("created", .string(PrefectDate.format(StoredTime.date(created)))),
            ("updated", .string(PrefectDate.format(StoredTime.date(updated)))), ("name", .string(row["name"] ?? "")),
            ("filters", filters),
        ]
        return .object(JSONObject(members))
    }
}
