import GRDB

extension StorageMigrations {
    /// The indexes workers' polls and slot counts read: a queue's scheduled runs in time order,
    /// and a queue's runs by state.
    static func createScheduledRunsIndex(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX ix_flow_run__scheduled_by_queue ON flow_run(work_queue_id, next_scheduled_start_time, id)
            WHERE state_type = 'SCHEDULED';
            CREATE INDEX ix_flow_run__work_queue_id_state_type ON flow_run(work_queue_id, state_type);
            """)
    }
}
