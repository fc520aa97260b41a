import GRDB

extension StorageMigrations {
    /// Tables `deployment`, `deployment_schedule` and `concurrency_limit_v2` (Prefect's ORM
    /// models `Deployment`, `DeploymentSchedule` and `ConcurrencyLimitV2`).
    ///
    /// A deployment's members that other writes change (its pause, status, last poll, queue and
    /// limit) are columns; the rest of its answer is the JSON in `body`. A deployment with a
    /// `concurrency_limit` owns a global limit named `deployment:{id}`, as in Prefect.
    static func createDeploymentTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE concurrency_limit_v2 (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                name TEXT NOT NULL UNIQUE,
                "limit" INTEGER NOT NULL,
                active_slots INTEGER NOT NULL DEFAULT 0,
                denied_slots INTEGER NOT NULL DEFAULT 0,
                slot_decay_per_second REAL NOT NULL DEFAULT 0,
                avg_slot_occupancy_seconds REAL NOT NULL DEFAULT 2
            );

            CREATE TABLE deployment (
                id TEXT PRIMARY KEY NOT NULL,
                flow_id TEXT NOT NULL REFERENCES flow(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                paused INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL DEFAULT 'NOT_READY',
                last_polled INTEGER,
                work_queue_id TEXT REFERENCES work_queue(id) ON DELETE SET NULL,
                work_queue_name TEXT,
                concurrency_limit_id TEXT REFERENCES concurrency_limit_v2(id) ON DELETE SET NULL,
                tags TEXT NOT NULL,
                body BLOB NOT NULL,
                UNIQUE (flow_id, name)
            );
            CREATE INDEX ix_deployment__flow_id ON deployment(flow_id);
            CREATE INDEX ix_deployment__work_queue_id ON deployment(work_queue_id);
            CREATE INDEX ix_deployment__work_queue_name ON deployment(work_queue_name);
            CREATE INDEX ix_deployment__paused ON deployment(paused);
            CREATE INDEX ix_deployment__name ON deployment(name);

            CREATE TABLE deployment_schedule (
                id TEXT PRIMARY KEY NOT NULL,
                deployment_id TEXT NOT NULL REFERENCES deployment(id) ON DELETE CASCADE,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                schedule TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                max_scheduled_runs INTEGER,
                parameters TEXT NOT NULL DEFAULT '{}',
                slug TEXT
            );
            CREATE INDEX ix_deployment_schedule__deployment_id_updated ON deployment_schedule(deployment_id, updated);
            CREATE UNIQUE INDEX ix_deployment_schedule__deployment_id__slug ON deployment_schedule(deployment_id, slug)
                WHERE slug IS NOT NULL;
            """)
    }
}
