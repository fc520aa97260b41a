import Foundation
import GRDB
import PrefectSchemas

/// A block document request Prefect answers with 400 and this detail (its `ValueError`s).
struct BlockDocumentError: Error {
    var detail: String
}

/// Block documents in tables `block_document` and `block_document_reference` (Prefect's
/// `models/block_documents.py`). A member of a document's data that is `{"$ref":
/// {"block_document_id": …}}` is stored as a reference to that document; reading a document
/// puts the referenced documents' data back in its place, recursively.
enum BlockDocumentStore {
    struct Create: Sendable {
        var name: String?
        var data: JSONObject
        var blockSchemaID: UUID
        var blockTypeID: UUID
        var isAnonymous: Bool
    }

    struct Update: Sendable {
        var blockSchemaID: UUID?
        /// nil when nothing changes: no `data` while merging (without merging, a missing
        /// `data` is `{}`, which clears the document).
        var data: JSONObject?
        var mergeExistingData: Bool
    }

    /// Which documents a read wants: a condition on `block_document` and the order.
    struct Selection {
        var condition: SQLCondition?
        var order = "block_document.name ASC"
    }

    /// How deep references may nest (`_BLOCK_DOCUMENT_REFERENCE_MAX_DEPTH`).
    static let maximumDepth = 50

    /// Whether the block type already has a document with this name.
    static func exists(_ db: Database, blockTypeID: UUID, name: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM block_document WHERE block_type_id = ? AND name = ?)",
            arguments: [blockTypeID.prefectString, name]) ?? false
    }

    /// Whether there is a document with this id.
    static func exists(_ db: Database, id: UUID) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM block_document WHERE id = ?)", arguments: [id.prefectString]) ?? false
    }

    /// Inserts the document and its references, and announces it
    /// (`prefect.block-document.created`); an unknown block type, schema or referenced document
    /// violates the tables' foreign keys.
    static func create(_ db: Database, _ create: Create, now: Date) throws -> UUID {
        let name = create.isAnonymous && (create.name ?? "").isEmpty ? "anonymous-\(UUID.version4().prefectString)" : create.name ?? ""
        let (data, references) = try separateReferences(create.data)
        let id = UUID.version4()
        let stamp = StoredTime.micros(now)
        let typeName = try String.fetchOne(db, sql: "SELECT name FROM block_type WHERE id = ?", arguments: [create.blockTypeID.prefectString])
        try db.execute(
            sql: """
                INSERT INTO block_document (id, created, updated, name, data, is_anonymous, block_type_name, block_type_id, block_schema_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id.prefectString, stamp, stamp, name, try JSONText.encode(JSONValue.object(data)), create.isAnonymous,
                        typeName, create.blockTypeID.prefectString, create.blockSchemaID.prefectString])
        for (key, reference) in references {
            try link(db, parent: id, reference: reference, name: key, now: now)
        }
        if let event = try BlockEvents.blockDocument(db, .created, id: id, now: now) { try ServerEvents.emit(db, event) }
        return id
    }

    /// `_separate_block_references_from_data`: the data without its `$ref` members, and those
    /// members' names and document ids.
    static func separateReferences(_ data: JSONObject) throws -> (JSONObject, [(String, UUID)]) {
        var kept: JSONObject = [:]
        var references: [(String, UUID)] = []
        for (key, value) in data {
            guard case .object(let members) = value, let reference = members["$ref"] else {
                kept[key] = value
                continue
            }
            guard let text = reference["block_document_id"]?.stringValue else {
                throw BlockDocumentError(detail: "Received block reference without a block_document_id in key \(key)")
            }
            guard let id = UUID(uuidString: text) else {
                throw BlockDocumentError(detail: "Received block reference with an invalid block_document_id in key \(key)")
            }
            references.append((key, id))
        }
        return (kept, references)
    }

    /// `create_block_document_reference`, refusing an edge that would close a cycle.
    private static func link(_ db: Database, parent: UUID, reference: UUID, name: String, now: Date) throws {
        if try wouldFormCycle(db, parent: parent, reference: reference) {
            throw BlockDocumentError(detail: """
                Cannot create block document reference: it would introduce a cycle into the block_document_reference graph \
                (parent=\(parent.prefectString), reference=\(reference.prefectString)).
                """)
        }
        let stamp = StoredTime.micros(now)
        try db.execute(
            sql: """
                INSERT INTO block_document_reference (id, created, updated, name, parent_block_document_id, reference_block_document_id)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [UUID.version4().prefectString, stamp, stamp, name, parent.prefectString, reference.prefectString])
    }

    /// `_block_document_reference_would_form_cycle`: whether `parent` is reachable from `reference`.
    private static func wouldFormCycle(_ db: Database, parent: UUID, reference: UUID) throws -> Bool {
        try Bool.fetchOne(
            db, sql: """
                WITH RECURSIVE reachable(id) AS (
                    SELECT ?
                    UNION
                    SELECT r.reference_block_document_id FROM block_document_reference r JOIN reachable ON r.parent_block_document_id = reachable.id
                )
                SELECT EXISTS (SELECT 1 FROM reachable WHERE id = ?)
                """,
            arguments: [reference.prefectString, parent.prefectString]) ?? false
    }

    private static let columns = """
        block_document.id, block_document.created, block_document.updated, block_document.name, block_document.data, \
        block_document.is_anonymous, block_document.block_type_name, block_document.block_type_id, block_document.block_schema_id
        """

    /// The document, whatever its anonymity.
    static func read(_ db: Database, id: UUID, includeSecrets: Bool) throws -> BlockDocument? {
        try read(db, Selection(condition: .isIn("block_document.id", [id])), page: Page(limit: 1, offset: 0), includeSecrets: includeSecrets)
            .first
    }

    /// The documents `selection` picks, each with its references' data, its schema and type.
    static func read(_ db: Database, _ selection: Selection, page: Page, includeSecrets: Bool) throws -> [BlockDocument] {
        let rows = try Row.fetchAll(
            db, sql: """
                SELECT \(columns) FROM block_document
                WHERE \(selection.condition?.sql ?? "1") ORDER BY \(selection.order), block_document.rowid \(page.sql)
                """,
            arguments: selection.condition?.statementArguments ?? [])
        var schemas: [UUID: BlockSchema] = [:]
        var lookups = BlockLookups()
        return try rows.map { row in
            var document = try assemble(db, row, includeSecrets: includeSecrets, depth: 0, &lookups)
            if schemas[document.blockSchemaID] == nil, let stored = try lookups.schema(db, id: document.blockSchemaID) {
                schemas[document.blockSchemaID] = try BlockSchemaAssembly.schema(db, stored, &lookups)
            }
            document.blockSchema = schemas[document.blockSchemaID]
            return document
        }
    }

    static func count(_ db: Database, _ condition: SQLCondition?) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM block_document WHERE \(condition?.sql ?? "1")",
            arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// `_construct_full_block_document`: the document's own data, masked by its schema's secret
    /// fields unless `includeSecrets`, with each referenced document's data under its name.
    private static func assemble(
        _ db: Database, _ row: Row, includeSecrets: Bool, depth: Int, _ lookups: inout BlockLookups
    ) throws -> BlockDocument {
        guard depth <= maximumDepth else {
            throw BlockDocumentError(detail: "Block document reference graph exceeds max depth \(maximumDepth); refusing to recurse further.")
        }
        let id = try StoredColumns.uuid(row, "id", table: "block_document")
        let schemaID = try StoredColumns.uuid(row, "block_schema_id", table: "block_document")
        let typeID = try StoredColumns.uuid(row, "block_type_id", table: "block_document")
        var data = try StoredColumns.object(row, "data", table: "block_document")
        if !includeSecrets {
            let secretFields = try lookups.schema(db, id: schemaID)?.fields["secret_fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
            data = BlockDocumentSecrets.masked(data, secretFields: secretFields)
        }
        var document = BlockDocument(
            id: id, created: StoredTime.date(try row.decode(forColumn: "created")), updated: StoredTime.date(try row.decode(forColumn: "updated")), name: try row.decode(forColumn: "name"),
            data: data, blockSchemaID: schemaID, blockTypeID: typeID, blockTypeName: try row.decode(forColumn: "block_type_name"),
            blockType: try lookups.blockType(db, id: typeID), isAnonymous: try row.decode(forColumn: "is_anonymous"))
        let references = try Row.fetchAll(
            db, sql: """
                SELECT r.name AS reference_name, \(columns) FROM block_document_reference r
                JOIN block_document ON block_document.id = r.reference_block_document_id
                WHERE r.parent_block_document_id = ? ORDER BY r.rowid
                """,
            arguments: [id.prefectString])
        for reference in references {
            let name = try reference.decode(String.self, forColumn: "reference_name")
            let child = try assemble(db, reference, includeSecrets: includeSecrets, depth: depth + 1, &lookups)
            document.data[name] = .object(child.data)
            document.blockDocumentReferences[name] = [
                "block_document": [
                    "id": .string(child.id.prefectString),
                    "name": child.name.map(JSONValue.string) ?? .null,
                    "block_type": try child.blockType.map { try APIBody.decode(JSONValue.self, from: ServerJSON.encode($0)) } ?? .null,
                    "is_anonymous": .bool(child.isAnonymous),
                    "block_document_references": .object(JSONObject(child.blockDocumentReferences.mapValues(JSONValue.object))),
                ]
            ]
        }
        return document
    }

    /// Prefect's `update_block_document`, announced (`prefect.block-document.updated`, also when
    /// it changed nothing, as Prefect announces it): false when there is no such document.
    static func update(_ db: Database, id: UUID, _ update: Update, now: Date) throws -> Bool {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM block_document WHERE id = ?", arguments: [id.prefectString]) else {
            return false
        }
        // Without data Prefect changes nothing, not even the schema.
        guard var incoming = update.data else {
            if let event = try BlockEvents.blockDocument(db, .updated, id: id, now: now) { try ServerEvents.emit(db, event) }
            return true
        }
        let currentSchemaID = try StoredColumns.uuid(row, "block_schema_id", table: "block_document")
        let currentTypeID = try StoredColumns.uuid(row, "block_type_id", table: "block_document")
        let current = try StoredColumns.object(row, "data", table: "block_document")
        let secretFields = try BlockSchemaStore.read(db, id: currentSchemaID)?.fields["secret_fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        incoming = BlockDocumentSecrets.restored(incoming, current: current, secretFields: secretFields)
        if update.mergeExistingData { incoming = current.merging(incoming) { _, new in new } }
        let (data, references) = try separateReferences(incoming)
        var schemaID = currentSchemaID
        if let proposed = update.blockSchemaID, proposed != currentSchemaID {
            guard let schema = try BlockSchemaStore.read(db, id: proposed) else {
                throw BlockDocumentError(detail: "Block schema \(proposed.prefectString) not found")
            }
            guard schema.blockTypeID == currentTypeID else {
                throw BlockDocumentError(detail: "Must migrate block document to a block schema of the same block type.")
            }
            schemaID = proposed
        }
        try db.execute(
            sql: "UPDATE block_document SET data = ?, block_schema_id = ?, updated = ? WHERE id = ?",
            arguments: [try JSONText.encode(JSONValue.object(data)), schemaID.prefectString, StoredTime.micros(now), id.prefectString])
        let existing = try Row.fetchAll(
            db, sql: "SELECT id, name, reference_block_document_id FROM block_document_reference WHERE parent_block_document_id = ?",
            arguments: [id.prefectString])
        var unchanged: Set<String> = []
        for (name, reference) in references {
            if let match = existing.first(where: { $0["name"] == name && $0["reference_block_document_id"] == reference.prefectString }) {
                unchanged.insert(match["id"])
            } else {
                try link(db, parent: id, reference: reference, name: name, now: now)
            }
        }
        for row in existing {
            let referenceID: String = try row.decode(forColumn: "id")
            if !unchanged.contains(referenceID) {
                try db.execute(sql: "DELETE FROM block_document_reference WHERE id = ?", arguments: [referenceID])
            }
        }
        if let event = try BlockEvents.blockDocument(db, .updated, id: id, now: now) { try ServerEvents.emit(db, event) }
        return true
    }

    /// Deletes the document, and the server's default result storage when it was that document;
    /// false when there is no such document. The deletion is announced.
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        if let event = try BlockEvents.blockDocument(db, .deleted, id: id, now: now) { try ServerEvents.emit(db, event) }
        try ConfigurationStore.clearDefaultResultStorage(db, ifItsDocument: "id", is: id)
        try db.execute(sql: "DELETE FROM block_document WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }
}
