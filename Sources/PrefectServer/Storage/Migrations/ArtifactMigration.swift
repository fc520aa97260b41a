import GRDB

extension StorageMigrations {
    /// Tables `artifact` and `artifact_collection` (Prefect's `Artifact` and
    /// `ArtifactCollection` ORM models): every artifact, and per key the latest one.
    static func createArtifactTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE artifact (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                key TEXT,
                type TEXT,
                description TEXT,
                data TEXT,
                metadata TEXT,
                flow_run_id TEXT,
                task_run_id TEXT
            );
            CREATE INDEX ix_artifact__key_created ON artifact(key, created);
            CREATE INDEX ix_artifact__flow_run_id ON artifact(flow_run_id);
            CREATE INDEX ix_artifact__task_run_id ON artifact(task_run_id);

            CREATE TABLE artifact_collection (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                key TEXT NOT NULL UNIQUE,
                latest_id TEXT NOT NULL,
                type TEXT,
                description TEXT,
                data TEXT,
                metadata TEXT,
                flow_run_id TEXT,
                task_run_id TEXT
            );
            """)
    }
}
