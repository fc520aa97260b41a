import GRDB

extension StorageMigrations {
    /// What the triggers service keeps between events (Prefect's `AutomationBucket`,
    /// `AutomationHeldEvent` and `CompositeTriggerChildFiring` ORM models): one open bucket per
    /// trigger and bucketing key (its window, count and last event); the `expect`-only events a
    /// proactive trigger with `after` holds for windows that open later; and the firings of a
    /// compound or sequence trigger's children that wait for their siblings. Bucketing keys are
    /// JSON arrays of strings; events and firings are stored as JSON.
    static func createAutomationBucketTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE automation_bucket (
                automation_id TEXT NOT NULL REFERENCES automation(id) ON DELETE CASCADE,
                trigger_id TEXT NOT NULL,
                bucketing_key TEXT NOT NULL,
                last_event BLOB,
                bucket_start INTEGER NOT NULL,
                bucket_end INTEGER NOT NULL,
                count INTEGER NOT NULL,
                last_operation TEXT,
                triggered_at INTEGER,
                updated INTEGER NOT NULL,
                PRIMARY KEY (automation_id, trigger_id, bucketing_key)
            );
            CREATE INDEX ix_automation_bucket__end ON automation_bucket(bucket_end);

            CREATE TABLE automation_held_event (
                automation_id TEXT NOT NULL REFERENCES automation(id) ON DELETE CASCADE,
                trigger_id TEXT NOT NULL,
                bucketing_key TEXT NOT NULL,
                event_id TEXT NOT NULL,
                occurred INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                PRIMARY KEY (automation_id, trigger_id, bucketing_key, event_id)
            );
            CREATE INDEX ix_automation_held_event__key_occurred
                ON automation_held_event(automation_id, trigger_id, bucketing_key, occurred);

            CREATE TABLE composite_trigger_child_firing (
                automation_id TEXT NOT NULL REFERENCES automation(id) ON DELETE CASCADE,
                parent_trigger_id TEXT NOT NULL,
                child_trigger_id TEXT NOT NULL,
                child_firing_id TEXT NOT NULL,
                child_fired_at INTEGER NOT NULL,
                child_firing BLOB NOT NULL,
                PRIMARY KEY (automation_id, parent_trigger_id, child_trigger_id)
            );
            """)
    }
}
