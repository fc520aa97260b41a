import GRDB

extension StorageMigrations {
    /// Table `csrf_token` (Prefect's `CsrfToken` ORM model): one token per client.
    static func createCSRFTokenTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE csrf_token (
                id TEXT PRIMARY KEY NOT NULL,
                client TEXT NOT NULL UNIQUE,
                token TEXT NOT NULL,
                expiration INTEGER NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL
            );
            CREATE INDEX ix_csrf_token__expiration ON csrf_token(expiration);
            """)
    }
}
