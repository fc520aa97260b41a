import GRDB

extension StorageMigrations {
    /// Tables `block_type`, `block_schema`, `block_schema_reference`, `block_document` and
    /// `block_document_reference` (Prefect's block ORM models): a slug names one block type; a
    /// checksum and version one schema; a block type and name one document. Deleting a block
    /// type deletes its schemas and documents, as Prefect's `ondelete="cascade"` keys do.
    ///
    /// `block_schema.fields` holds the schema without its references to other block schemas
    /// (those are rows of `block_schema_reference`, rebuilt into the fields on read);
    /// `block_document.data` the document's data without its references to other documents.
    static func createBlockTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE block_type (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                name TEXT NOT NULL,
                slug TEXT NOT NULL UNIQUE,
                logo_url TEXT,
                documentation_url TEXT,
                description TEXT,
                code_example TEXT,
                is_protected INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_block_type__name ON block_type(name);

            CREATE TABLE block_schema (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                checksum TEXT NOT NULL,
                version TEXT NOT NULL,
                fields TEXT NOT NULL,
                capabilities TEXT NOT NULL,
                block_type_id TEXT NOT NULL REFERENCES block_type(id) ON DELETE CASCADE,
                UNIQUE (checksum, version)
            );
            CREATE INDEX ix_block_schema__block_type_id ON block_schema(block_type_id);
            CREATE INDEX ix_block_schema__created ON block_schema(created);

            CREATE TABLE block_schema_reference (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                name TEXT NOT NULL,
                parent_block_schema_id TEXT NOT NULL REFERENCES block_schema(id) ON DELETE CASCADE,
                reference_block_schema_id TEXT NOT NULL REFERENCES block_schema(id) ON DELETE CASCADE
            );
            CREATE INDEX ix_block_schema_reference__parent ON block_schema_reference(parent_block_schema_id);

            CREATE TABLE block_document (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                name TEXT NOT NULL,
                data TEXT NOT NULL,
                is_anonymous INTEGER NOT NULL DEFAULT 0,
                block_type_name TEXT,
                block_type_id TEXT NOT NULL REFERENCES block_type(id) ON DELETE CASCADE,
                block_schema_id TEXT NOT NULL REFERENCES block_schema(id) ON DELETE CASCADE,
                UNIQUE (block_type_id, name)
            );
            CREATE INDEX ix_block_document__block_type_name__name ON block_document(block_type_name, name);
            CREATE INDEX ix_block_document__is_anonymous ON block_document(is_anonymous);

            CREATE TABLE block_document_reference (
                id TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                name TEXT NOT NULL,
                parent_block_document_id TEXT NOT NULL REFERENCES block_document(id) ON DELETE CASCADE,
                reference_block_document_id TEXT NOT NULL REFERENCES block_document(id) ON DELETE CASCADE
            );
            CREATE INDEX ix_block_document_reference__parent ON block_document_reference(parent_block_document_id);
            CREATE INDEX ix_block_document_reference__reference ON block_document_reference(reference_block_document_id);
            """)
    }
}
