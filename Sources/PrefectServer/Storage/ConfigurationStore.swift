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
            arguments: [UUID.version4().prefectString, key, try JSONText.encode(value), stamp, stamp])
    }

    /// `delete_configuration`: false when the key was not set.
    @discardableResult
    static func delete(_ db: Database, key: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM configuration WHERE key = ?", arguments: [key])
        return db.changesCount > 0
    }

    /// Prefect's `server_default_result_storage_references_block_schema`/`_block_type` and
    /// `clear_server_default_result_storage_for_block`: unsets the default result storage when
    /// its block document's `column` (`id`, `block_schema_id` or `block_type_id`) is `id`. Call
    /// before deleting what `id` names.
    static func clearDefaultResultStorage(_ db: Database, ifItsDocument column: String, is id: UUID) throws {
        guard let storage = try read(db, key: defaultResultStorageKey)?["default_result_storage_block_id"]?.stringValue
            .flatMap(UUID.init(uuidString:)) else { return }
        let matches = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM block_document WHERE id = ? AND \(column) = ?)",
            arguments: [storage.prefectString, id.prefectString]) ?? false
        if matches { try delete(db, key: defaultResultStorageKey) }
    }
}
