import GRDB

extension StorageMigrations {
    /// Drops `events`' `(resource_id, occurred)` index: every read of the events of one resource
    /// (the resource filter by id, the previous status event of a work pool) reads the
    /// resource's rows of role `""` in `event_resources` through that table's own
    /// `(resource_id, occurred)` index instead, so storing an event writes one index entry fewer
    /// (about 1.5 of the 23 WAL pages of a flow-run create). `EventFilterPlanTests` checks the
    /// plans.
    static func dropEventsResourceIndex(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX ix_events__resource_id_occurred")
    }
}
