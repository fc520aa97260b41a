import GRDB

extension StorageMigrations {
    /// Table `concurrency_lease`: the leases on global concurrency limits' slots (Prefect keeps
    /// them in its `ConcurrencyLeaseStorage`, in memory by default; here they survive a restart).
    static func createConcurrencyLeaseTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE concurrency_lease (
                id TEXT PRIMARY KEY NOT NULL,
                resource_ids TEXT NOT NULL,
                expiration INTEGER NOT NULL,
                slots INTEGER NOT NULL DEFAULT 1,
                holder TEXT
            );
            CREATE INDEX ix_concurrency_lease__expiration ON concurrency_lease(expiration);
            """)
    }

    /// A lease's creation time (what `decrement-with-lease` measures occupancy from) and an
    /// index on its holder's run id (what the task-tag release and the v1 decrement look for).
    static func addLeaseCreationAndHolderIndex(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE concurrency_lease ADD COLUMN created INTEGER;
            CREATE INDEX ix_concurrency_lease__holder_id ON concurrency_lease(json_extract(holder, '$.id'));
            """)
    }
}
