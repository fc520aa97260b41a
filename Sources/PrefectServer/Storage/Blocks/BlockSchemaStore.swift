import Foundation
import GRDB
import PrefectSchemas

/// Why a block schema cannot be created: Prefect's `MissingBlockTypeException` (a nested
/// schema's block type is not registered, 409) and the `ValueError`s of
/// `_register_nested_block_schemas` (a nested schema that is neither stored nor defined).
enum BlockSchemaCreationError: Error {
    case missingBlockType(String)
    case missingDefinition(String)
}

/// Block schemas in tables `block_schema` and `block_schema_reference` (Prefect's
/// `models/block_schemas.py`): a schema is stored without its references to nested block
/// schemas and without their definitions; both are rebuilt when it is read
/// (``BlockSchemaAssembly``).
enum BlockSchemaStore {
    /// A stored row: the schema as `block_schema` holds it.
    struct Stored: Sendable {
        var id: UUID
        var created: Date
        var updated: Date
        var checksum: String
        var version: String
        var fields: JSONObject
        var capabilities: [String]
        var blockTypeID: UUID
    }

    static let defaultVersion = "non-versioned"

    /// Creates the schema and, from `definitions`, the nested block schemas it refers to that do
    /// not exist yet (Prefect's `create_block_schema`); an existing schema with the same checksum
    /// and version is returned instead.
    static func create(
        _ db: Database, fields: JSONObject, blockTypeID: UUID, capabilities: [String], version: String,
        definitions given: JSONObject? = nil, now: Date
    ) throws -> Stored {
        let definitions = (given?.isEmpty == false ? given : nil) ?? fields["definitions"]?.objectValue
        var checksumFields = fields
        if let definitions, !definitions.isEmpty { checksumFields["definitions"] = .object(definitions) }
        let checksum = BlockSchemaChecksum.checksum(checksumFields)
        if let existing = try read(db, checksum: checksum, version: version) { return existing }

        let (stored, references) = try insert(
            db, fields: fields, definitions: definitions, checksum: checksum, blockTypeID: blockTypeID, capabilities: capabilities,
            version: version, now: now)
        try registerNested(db, parent: stored, references: references, definitions: definitions, now: now)
        return stored
    }

    /// Inserts a schema under `checksum` as Prefect stores one: the definitions cut to those
    /// that are not block schemas (none when that leaves none), the references to nested
    /// schemas taken out and returned for linking.
    static func insert(
        _ db: Database, fields: JSONObject, definitions: JSONObject?, checksum: String, blockTypeID: UUID,
        capabilities: [String], version: String, now: Date
    ) throws -> (Stored, references: JSONObject) {
        var fields = fields
        if let definitions, !definitions.isEmpty {
            fields["definitions"] = .object(definitions)
            let kept = BlockSchemaChecksum.nonBlockDefinitions(of: .object(fields), definitions: definitions)
            if kept.isEmpty {
                fields.removeValue(forKey: "definitions")
            } else {
                fields["definitions"] = .object(kept)
            }
        }
        let references = fields.removeValue(forKey: "block_schema_references")?.objectValue ?? [:]
        let stored = try insertStored(
            db, fields: fields, checksum: checksum, blockTypeID: blockTypeID, capabilities: capabilities, version: version, now: now)
        return (stored, references)
    }

    /// Inserts `fields` as they are: no references, only the definitions to keep.
    static func insertStored(
        _ db: Database, fields: JSONObject, checksum: String, blockTypeID: UUID, capabilities: [String], version: String,
        now: Date
    ) throws -> Stored {
        let stamp = StoredTime.truncated(now)
        let stored = Stored(
            id: UUID.version4(), created: stamp, updated: stamp, checksum: checksum, version: version, fields: fields,
            capabilities: capabilities, blockTypeID: blockTypeID)
        try db.execute(
            sql: """
                INSERT INTO block_schema (id, created, updated, checksum, version, fields, capabilities, block_type_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [stored.id.prefectString, StoredTime.micros(stamp), StoredTime.micros(stamp), checksum, version,
                        try JSONText.encode(JSONValue.object(fields)), try JSONText.encode(capabilities),
                        blockTypeID.prefectString])
        return stored
    }

    /// `_register_nested_block_schemas`: each reference's block type must exist; its schema is
    /// looked up by checksum, or created from the parent's definitions; then linked.
    private static func registerNested(
        _ db: Database, parent: Stored, references: JSONObject, definitions: JSONObject?, now: Date
    ) throws {
        for (name, value) in references {
            let entries = value.arrayValue ?? [value]
            for entry in entries {
                let slug = entry["block_type_slug"]?.stringValue ?? ""
                guard let blockType = try BlockTypeStore.read(db, slug: slug) else {
                    throw BlockSchemaCreationError.missingBlockType(
                        "Cannot create block schema because block type '\(slug)' was not found.Did you forget to register the block type?")
                }
                var nested = try read(db, checksum: entry["block_schema_checksum"]?.stringValue ?? "", version: nil)
                if nested == nil {
                    guard let definitions else {
                        throw BlockSchemaCreationError.missingDefinition(
                            "Unable to create nested block schema due to missing definitions in root block schema fields")
                    }
                    guard let childFields = childFields(definitions, parent.fields, name, blockType) else {
                        throw BlockSchemaCreationError.missingDefinition(
                            "Unable to create nested block schema for block type '\(blockType.name)' due to missing definition.")
                    }
                    nested = try create(
                        db, fields: childFields, blockTypeID: blockType.id, capabilities: [], version: defaultVersion,
                        definitions: definitions, now: now)
                }
                guard let nested else { continue }
                try link(db, parent: parent.id, reference: nested.id, name: name, now: now)
            }
        }
    }

    /// `_get_fields_for_child_schema`: the definition the parent's property refers to; with
    /// several (a union), the one whose `block_type_slug` is the nested block type's.
    private static func childFields(
        _ definitions: JSONObject, _ parentFields: JSONObject, _ name: String, _ blockType: BlockType
    ) -> JSONObject? {
        let property = parentFields["properties"]?[name] ?? .null
        let references = BlockSchemaChecksum.referenceStrings(in: property)
        let keys = references.map { $0.replacingOccurrences(of: "#/definitions/", with: "") }
        if keys.count == 1 { return definitions[keys[0]]?.objectValue }
        for key in keys {
            if let definition = definitions[key]?.objectValue, definition["block_type_slug"]?.stringValue == blockType.slug {
                return definition
            }
        }
        return nil
    }

    /// `create_block_schema_reference`: one row per parent, nested schema and name.
    static func link(_ db: Database, parent: UUID, reference: UUID, name: String, now: Date) throws {
        let exists = try Bool.fetchOne(
            db, sql: """
                SELECT EXISTS (SELECT 1 FROM block_schema_reference
                WHERE name = ? AND parent_block_schema_id = ? AND reference_block_schema_id = ?)
                """,
            arguments: [name, parent.prefectString, reference.prefectString]) ?? false
        guard !exists else { return }
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO block_schema_reference (id, created, updated, name, parent_block_schema_id, reference_block_schema_id)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [UUID.version4().prefectString, stamp, stamp, name, parent.prefectString, reference.prefectString])
    }

    private static let columns = "id, created, updated, checksum, version, fields, capabilities, block_type_id"

    static func read(_ db: Database, id: UUID) throws -> Stored? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM block_schema WHERE id = ?", arguments: [id.prefectString])
            .map(stored)
    }

    /// The newest schema with this checksum (and version, when given).
    static func read(_ db: Database, checksum: String, version: String?) throws -> Stored? {
        var sql = "SELECT \(columns) FROM block_schema WHERE checksum = ?"
        var arguments: [any DatabaseValueConvertible] = [checksum]
        if let version {
            sql += " AND version = ?"
            arguments.append(version)
        }
        return try Row.fetchOne(db, sql: sql + " ORDER BY created DESC, rowid DESC LIMIT 1", arguments: StatementArguments(arguments))
            .map(stored)
    }

    /// The schemas that match, newest first (Prefect's `read_block_schemas`).
    static func filter(_ db: Database, _ condition: SQLCondition?, page: Page) throws -> [Stored] {
        try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM block_schema WHERE \(condition?.sql ?? "1") ORDER BY created DESC, rowid DESC \(page.sql)",
            arguments: condition?.statementArguments ?? []
        ).map(stored)
    }

    /// The nested schemas of `parent`: name and schema, in the order they were linked.
    static func references(_ db: Database, parent: UUID) throws -> [(name: String, schema: Stored)] {
        let rows = try Row.fetchAll(
            db, sql: """
                SELECT r.name AS reference_name, s.id, s.created, s.updated, s.checksum, s.version, s.fields, s.capabilities,
                       s.block_type_id
                FROM block_schema_reference r JOIN block_schema s ON s.id = r.reference_block_schema_id
                WHERE r.parent_block_schema_id = ? ORDER BY r.rowid
                """,
            arguments: [parent.prefectString])
        return try rows.map { (name: $0["reference_name"], schema: try stored($0)) }
    }

    /// Deletes the schema; false when there is none.
    static func delete(_ db: Database, id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM block_schema WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }

    /// Every capability some schema has, sorted (Prefect's `read_available_block_capabilities`
    /// answers them as a set, in no order).
    static func capabilities(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT DISTINCT value FROM block_schema, json_each(block_schema.capabilities) ORDER BY value")
    }

    private static func stored(_ row: Row) throws -> Stored {
        Stored(
            id: try StoredColumns.uuid(row, "id", table: "block_schema"), created: StoredTime.date(try row.decode(forColumn: "created")),
            updated: StoredTime.date(try row.decode(forColumn: "updated")), checksum: try row.decode(forColumn: "checksum"), version: try row.decode(forColumn: "version"),
            fields: try StoredColumns.object(row, "fields", table: "block_schema"),
            capabilities: try StoredColumns.strings(row, "capabilities", table: "block_schema"),
            blockTypeID: try StoredColumns.uuid(row, "block_type_id", table: "block_schema"))
    }
}
