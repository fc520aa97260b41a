import GRDB

extension StorageMigrations {
    /// Table `variable` (Prefect's `Variable` ORM model): the name is unique, `tags` a JSON
    /// array for the tag filters, `body` the variable's JSON as the API returns it.
    static func createVariableTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE variable (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                tags TEXT NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_variable__updated ON variable(updated);
            """)
    }
}
