import GRDB

extension StorageMigrations {
    /// Table `configuration` (Prefect's `Configuration` ORM model): server settings stored as
    /// JSON by key, such as the default result storage.
    static func createConfigurationTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE configuration (
                id TEXT PRIMARY KEY NOT NULL,
                key TEXT NOT NULL UNIQUE,
                value TEXT NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL
            );
            """)
    }
}
