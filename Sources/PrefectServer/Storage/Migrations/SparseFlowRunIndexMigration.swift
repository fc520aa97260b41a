import GRDB

extension StorageMigrations {
    /// `flow_run`'s indexes on columns a new run leaves null hold only the rows that have a value
    /// (`WHERE … IS NOT NULL`), so creating a run writes 7 index entries fewer (each a B-tree page
    /// in the transaction's WAL frames): parent task run, deployment, idempotency key, start,
    /// end and next scheduled start times, work queue. The filters on those columns compare them
    /// (`=`, `IN`, `<`, `>`, `IS NOT NULL`), which SQLite takes as implying the index's `WHERE`,
    /// so they keep their index; `FlowRunIndexTests` checks the plans. `ix_flow_run__work_queue_id`
    /// goes: `(work_queue_id, state_type)` serves every lookup by queue.
    static func sparseFlowRunIndexes(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX ix_flow_run__work_queue_id;
            DROP INDEX ix_flow_run__work_queue_id_state_type;
            CREATE INDEX ix_flow_run__work_queue_id_state_type ON flow_run(work_queue_id, state_type)
                WHERE work_queue_id IS NOT NULL;
            DROP INDEX uq_flow_run__flow_id_idempotency_key;
            CREATE UNIQUE INDEX uq_flow_run__flow_id_idempotency_key ON flow_run(flow_id, idempotency_key)
                WHERE idempotency_key IS NOT NULL;
            """)
        for column in ["parent_task_run_id", "deployment_id", "start_time", "end_time", "next_scheduled_start_time"] {
            try db.execute(sql: """
                DROP INDEX ix_flow_run__\(column);
                CREATE INDEX ix_flow_run__\(column) ON flow_run(\(column)) WHERE \(column) IS NOT NULL;
                """)
        }
    }
}
