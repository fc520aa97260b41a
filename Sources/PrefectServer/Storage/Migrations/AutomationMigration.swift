import GRDB

extension StorageMigrations {
    /// Tables `automation` and `automation_related_resource` (Prefect's `Automation` and
    /// `AutomationRelatedResource` ORM models): `body` is the automation as the API answers it;
    /// a related resource is one a `run-deployment` action selects, or the automation's owner,
    /// whose deletion deletes it.
    static func createAutomationTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE automation (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                tags TEXT NOT NULL,
                body BLOB NOT NULL
            );
            CREATE INDEX ix_automation__name ON automation(name);

            CREATE TABLE automation_related_resource (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                automation_id TEXT NOT NULL REFERENCES automation(id) ON DELETE CASCADE,
                resource_id TEXT NOT NULL,
                automation_owned_by_resource INTEGER NOT NULL DEFAULT 0,
                UNIQUE (automation_id, resource_id)
            );
            CREATE INDEX ix_automation_related_resource__resource_id ON automation_related_resource(resource_id);
            """)
    }
}
