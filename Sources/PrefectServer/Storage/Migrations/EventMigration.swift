import GRDB

extension StorageMigrations {
    /// Tables `events` and `event_resources` (Prefect's `Event` and `EventResource` ORM models):
    /// one row per event id (a resent event is kept once), `body` the event as the API answers
    /// it; one `event_resources` row for its resource (role `""`) and each related resource, for
    /// the related and any-resource filters.
    static func createEventTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE events (
                id TEXT PRIMARY KEY NOT NULL,
                occurred INTEGER NOT NULL,
                received INTEGER NOT NULL,
                event TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                resource_label TEXT NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_events__occurred ON events(occurred);
            CREATE INDEX ix_events__event_occurred ON events(event, occurred);
            CREATE INDEX ix_events__resource_id_occurred ON events(resource_id, occurred);

            CREATE TABLE event_resources (
                event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
                resource_id TEXT NOT NULL,
                resource_role TEXT NOT NULL,
                resource TEXT NOT NULL,
                occurred INTEGER NOT NULL
            );
            CREATE INDEX ix_event_resources__resource_id_occurred ON event_resources(resource_id, occurred);
            CREATE INDEX ix_event_resources__event_id ON event_resources(event_id);
            """)
    }
}
