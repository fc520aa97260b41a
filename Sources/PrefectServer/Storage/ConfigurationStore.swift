import Foundation
import GRDB
import PrefectSchemas

/// Server settings by key (Prefect's `models/configuration.py`).
enum ConfigurationStore {
    /// `SERVER_DEFAULT_RESULT_STORAGE_CONFIGURATION_KEY` (`models/storage_defaults.py`).
    static let defaultResultStorageKey = "server-default-result-storage"

    static func read(_ db: Database, key: String) throws -> JSONValue? {
        try JSONText.decode(String.fetchOne(db, sql: "SELECT value FROM configuration WHERE key = ?", arguments: [key]))
    }

    /// `write_configuration`: sets the key's value, replacing the one it had.
    static func write(_ db: Database, key: String, value: JSONValue, now: Date) throws {
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO configuration (id, key, value, created, updated) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated
                """,
            arguments: [UUID().prefectString, key, try JSONText.encode(value), stamp, stamp])
    }

    /// `delete_configuration`: false when the key was not set.
    @discardableResult
    static func delete(_ db: Database, key: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM configuration WHERE key = ?", arguments: [key])
        return db.changesCount > 0
    }
}
