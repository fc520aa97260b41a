import GRDB

/// The versioned schema of the embedded server's database.
///
/// Each migration is registered once and never edited after release; a new table or index
/// is a new migration. A database that has migrations this build does not know was written
/// by a newer version and is refused, never changed.
enum StorageMigrations {
    static func apply(to pool: DatabasePool, path: String) throws {
        let migrator = makeMigrator()
        do {
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            guard unknown.isEmpty else {
                throw PrefectServerError.newerSchema(path: path, migrations: unknown.sorted())
            }
            try migrator.migrate(pool)
        } catch let error as PrefectServerError {
            throw error
        } catch {
            throw PrefectServerError.databaseUnavailable(path: path, reason: String(describing: error))
        }
    }

    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-run-lifecycle", migrate: createRunLifecycleTables)
        migrator.registerMigration("v2-variables", migrate: createVariableTable)
        migrator.registerMigration("v3-work-pools", migrate: createWorkPoolTables)
        migrator.registerMigration("v4-csrf-tokens", migrate: createCSRFTokenTable)
        migrator.registerMigration("v5-scheduled-runs-index", migrate: createScheduledRunsIndex)
        migrator.registerMigration("v6-deployments", migrate: createDeploymentTables)
        migrator.registerMigration("v7-concurrency-leases", migrate: createConcurrencyLeaseTable)
        migrator.registerMigration("v8-lease-holders", migrate: addLeaseCreationAndHolderIndex)
        migrator.registerMigration("v9-configuration", migrate: createConfigurationTable)
        migrator.registerMigration("v10-artifacts", migrate: createArtifactTables)
        migrator.registerMigration("v11-blocks", migrate: createBlockTables)
        migrator.registerMigration("v12-automations", migrate: createAutomationTables)
        migrator.registerMigration("v13-events", migrate: createEventTables)
        migrator.registerMigration("v14-automation-buckets", migrate: createAutomationBucketTables)
        migrator.registerMigration("v15-saved-searches", migrate: createSavedSearchTable)
        migrator.registerMigration("v16-deferred-state-foreign-keys", migrate: deferStateForeignKeys)
        migrator.registerMigration("v17-sparse-flow-run-indexes", migrate: sparseFlowRunIndexes)
        migrator.registerMigration("v18-events-resource-index", migrate: dropEventsResourceIndex)
        return migrator
    }

    /// Flows, flow runs, task runs, their states, logs and flow-run input.
    ///
    /// Times are microseconds since the Unix epoch (exact, and ordered as numbers); ids are
    /// lower-case UUID text; `body` holds the object's JSON as the API returns it.
    private static func createRunLifecycleTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE flow (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                tags TEXT NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_flow__updated ON flow(updated);

            CREATE TABLE flow_run (
                id TEXT PRIMARY KEY NOT NULL,
                flow_id TEXT NOT NULL REFERENCES flow(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                state_type TEXT,
                state_name TEXT,
                state_timestamp INTEGER,
                start_time INTEGER,
                end_time INTEGER,
                expected_start_time INTEGER,
                next_scheduled_start_time INTEGER,
                total_run_time REAL NOT NULL DEFAULT 0,
                tags TEXT NOT NULL,
                deployment_id TEXT,
                work_queue_name TEXT,
                flow_version TEXT,
                parent_task_run_id TEXT,
                idempotency_key TEXT,
                created_by_id TEXT,
                created_by_type TEXT,
                body BLOB NOT NULL
            );
            CREATE UNIQUE INDEX uq_flow_run__flow_id_idempotency_key ON flow_run(flow_id, idempotency_key);
            CREATE INDEX ix_flow_run__flow_id ON flow_run(flow_id);
            CREATE INDEX ix_flow_run__state_type ON flow_run(state_type);
            CREATE INDEX ix_flow_run__name ON flow_run(name);
            CREATE INDEX ix_flow_run__expected_start_time ON flow_run(expected_start_time);
            CREATE INDEX ix_flow_run__next_scheduled_start_time ON flow_run(next_scheduled_start_time);
            CREATE INDEX ix_flow_run__start_time ON flow_run(start_time);
            CREATE INDEX ix_flow_run__end_time ON flow_run(end_time);
            CREATE INDEX ix_flow_run__parent_task_run_id ON flow_run(parent_task_run_id);
            CREATE INDEX ix_flow_run__deployment_id ON flow_run(deployment_id);

            CREATE TABLE flow_run_state (
                id TEXT PRIMARY KEY NOT NULL,
                flow_run_id TEXT NOT NULL REFERENCES flow_run(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                name TEXT,
                timestamp INTEGER NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_flow_run_state__flow_run_id_timestamp ON flow_run_state(flow_run_id, timestamp);

            CREATE TABLE task_run (
                id TEXT PRIMARY KEY NOT NULL,
                flow_run_id TEXT REFERENCES flow_run(id) ON DELETE CASCADE,
                task_key TEXT NOT NULL,
                dynamic_key TEXT NOT NULL,
                name TEXT NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                state_type TEXT,
                state_name TEXT,
                state_timestamp INTEGER,
                start_time INTEGER,
                end_time INTEGER,
                expected_start_time INTEGER,
                next_scheduled_start_time INTEGER,
                total_run_time REAL NOT NULL DEFAULT 0,
                tags TEXT NOT NULL,
                body BLOB NOT NULL
            );
            CREATE UNIQUE INDEX uq_task_run__flow_run_id_task_key_dynamic_key ON task_run(flow_run_id, task_key, dynamic_key);
            CREATE INDEX ix_task_run__state_type ON task_run(state_type);
            CREATE INDEX ix_task_run__expected_start_time ON task_run(expected_start_time);
            CREATE INDEX ix_task_run__name ON task_run(name);

            CREATE TABLE task_run_state (
                id TEXT PRIMARY KEY NOT NULL,
                task_run_id TEXT NOT NULL REFERENCES task_run(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                name TEXT,
                timestamp INTEGER NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_task_run_state__task_run_id_timestamp ON task_run_state(task_run_id, timestamp);

            CREATE TABLE task_run_state_cache (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                cache_key TEXT NOT NULL,
                cache_expiration INTEGER,
                task_run_state_id TEXT NOT NULL,
                created INTEGER NOT NULL
            );
            CREATE INDEX ix_task_run_state_cache__cache_key_created ON task_run_state_cache(cache_key, created);

            CREATE TABLE log (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                name TEXT NOT NULL,
                level INTEGER NOT NULL,
                flow_run_id TEXT,
                task_run_id TEXT,
                message TEXT NOT NULL,
                timestamp INTEGER NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_log__flow_run_id_timestamp ON log(flow_run_id, timestamp);
            CREATE INDEX ix_log__task_run_id ON log(task_run_id);
            CREATE INDEX ix_log__timestamp ON log(timestamp);

            CREATE TABLE flow_run_input (
                id TEXT PRIMARY KEY NOT NULL,
                flow_run_id TEXT NOT NULL REFERENCES flow_run(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                created INTEGER NOT NULL,
                body BLOB NOT NULL
            );
            CREATE UNIQUE INDEX uq_flow_run_input__flow_run_id_key ON flow_run_input(flow_run_id, key);
            """)
    }
}
