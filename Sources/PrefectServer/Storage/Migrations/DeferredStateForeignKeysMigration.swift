import GRDB

extension StorageMigrations {
    /// A state's reference to its run is checked when the write that stored it ends
    /// (`DEFERRABLE INITIALLY DEFERRED`): creating a run stores its first state before the run
    /// row, whose columns come from the validated state.
    ///
    /// This used to be `PRAGMA defer_foreign_keys = ON` in each create. Setting a flag pragma
    /// expires every prepared statement of the connection (SQLite's `OP_Expire`), so the next
    /// use of each cached statement compiled it again: about a fifth of the CPU of an in-process
    /// `createFlowRun`. SQLite cannot alter a constraint, so both tables are rebuilt with their
    /// rows; nothing references them.
    static func deferStateForeignKeys(_ db: Database) throws {
        for (table, run) in [("flow_run_state", "flow_run"), ("task_run_state", "task_run")] {
            try db.execute(sql: """
                CREATE TABLE \(table)_deferred (
                    id TEXT PRIMARY KEY NOT NULL,
                    \(run)_id TEXT NOT NULL REFERENCES \(run)(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    type TEXT NOT NULL,
                    name TEXT,
                    timestamp INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                INSERT INTO \(table)_deferred (id, \(run)_id, type, name, timestamp, body)
                    SELECT id, \(run)_id, type, name, timestamp, body FROM \(table);
                DROP TABLE \(table);
                ALTER TABLE \(table)_deferred RENAME TO \(table);
                CREATE INDEX ix_\(table)__\(run)_id_timestamp ON \(table)(\(run)_id, timestamp);
                """)
        }
    }
}
