import GRDB

extension StorageMigrations {
    /// Tables `work_pool`, `work_queue` and `worker` (Prefect's ORM models of the same names),
    /// and `flow_run.work_queue_id`. Objects are stored as columns (their statuses and
    /// priorities change through other objects' writes); JSON members as JSON text.
    static func createWorkPoolTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE work_pool (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                description TEXT,
                type TEXT NOT NULL,
                base_job_template TEXT NOT NULL,
                is_paused INTEGER NOT NULL,
                concurrency_limit INTEGER,
                status TEXT,
                last_transitioned_status_at INTEGER,
                default_queue_id TEXT REFERENCES work_queue(id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,
                storage_configuration TEXT NOT NULL
            );

            CREATE TABLE work_queue (
                id TEXT PRIMARY KEY NOT NULL,
                work_pool_id TEXT NOT NULL REFERENCES work_pool(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                description TEXT,
                is_paused INTEGER NOT NULL,
                concurrency_limit INTEGER,
                priority INTEGER NOT NULL,
                filter TEXT,
                last_polled INTEGER,
                status TEXT NOT NULL,
                UNIQUE (work_pool_id, name)
            );
            CREATE INDEX ix_work_queue__work_pool_id_priority ON work_queue(work_pool_id, priority);
            CREATE INDEX ix_work_queue__name ON work_queue(name);

            CREATE TABLE worker (
                id TEXT PRIMARY KEY NOT NULL,
                work_pool_id TEXT NOT NULL REFERENCES work_pool(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                last_heartbeat_time INTEGER NOT NULL,
                heartbeat_interval_seconds INTEGER,
                status TEXT NOT NULL,
                UNIQUE (work_pool_id, name)
            );
            CREATE INDEX ix_worker__work_pool_id_last_heartbeat_time ON worker(work_pool_id, last_heartbeat_time);

            ALTER TABLE flow_run ADD COLUMN work_queue_id TEXT REFERENCES work_queue(id) ON DELETE SET NULL;
            CREATE INDEX ix_flow_run__work_queue_id ON flow_run(work_queue_id);
            """)
    }
}
