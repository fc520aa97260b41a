import GRDB

extension StorageMigrations {
    /// Table `saved_search` (Prefect's `SavedSearch` ORM model): the UI's named filter sets,
    /// unique by name; `filters` keeps the JSON list as it was written.
    static func createSavedSearchTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE saved_search (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                filters TEXT NOT NULL
            );
            """)
    }
}
