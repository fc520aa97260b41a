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

    /// `delete_configuration`: false when the key was not set.
    @discardableResult
    static func delete(_ db: Database, key: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM configuration WHERE key = ?", arguments: [key])
        return db.changesCount > 0
    }
}
