import Foundation
import GRDB
import PrefectSchemas

/// The block types and schemas every Prefect server has (Prefect's
/// `models/block_registration.py` `run_block_auto_registration`), registered when the
/// database opens: types by slug (an existing one gets the current descriptions), schemas by
/// checksum and version (an existing one is left), from ``SystemBlocks``.
enum SystemBlockRegistration {
    struct Catalog: Decodable, Sendable {
        var blockTypes: [BlockTypeStore.Create]
        var blockSchemas: [SchemaEntry]

        enum CodingKeys: String, CodingKey {
            case blockTypes = "block_types"
            case blockSchemas = "block_schemas"
        }
    }

    private struct SchemaKey: Hashable {
        var checksum: String
        var version: String
    }

    struct SchemaEntry: Decodable, Sendable {
        var blockTypeSlug: String
        /// The checksum Prefect computed, which registration must reproduce.
        var checksum: String
        var fields: JSONObject
        var capabilities: [String]
        var version: String

        enum CodingKeys: String, CodingKey {
            case checksum, fields, capabilities, version
            case blockTypeSlug = "block_type_slug"
        }
    }

    /// The catalog, decoded once per process (every database open registers it).
    static func catalog() throws -> Catalog {
        try decoded.get()
    }

    private static let decoded = Result { try PrefectJSON.decode(Catalog.self, from: Data(SystemBlocks.json.utf8)) }

    /// Registers the catalog's types and schemas; only the protected ones (Secret, Webhook,
    /// Local File System: `_install_protected_system_blocks`) when `protectedOnly`.
    static func register(_ db: Database, now: Date, protectedOnly: Bool = false) throws {
        let catalog = try catalog()
        // What is already there, in two queries: on every open after the first, nothing else is read.
        let existingTypes = Dictionary(
            try BlockTypeStore.filter(db, nil, page: Page(limit: -1, offset: 0)).map { ($0.slug, $0) },
            uniquingKeysWith: { first, _ in first })
        let existingSchemas = Set(
            try Row.fetchAll(db, sql: "SELECT checksum, version FROM block_schema").map { SchemaKey(checksum: $0["checksum"], version: $0["version"]) })
        var typeIDs: [String: UUID] = [:]
        for entry in catalog.blockTypes where entry.isProtected || !protectedOnly {
            typeIDs[entry.slug] = try registerType(db, entry, existing: existingTypes[entry.slug], now: now)
        }
        // Stored as Prefect stored them when it registered them from its block classes: under
        // the checksum it computed then (8 of the 64 hash to another value as the API returns
        // them, in Prefect too), with the definitions that are not nested block schemas (those
        // are rebuilt on read), linked to their nested schemas once all exist.
        var inserted: [(BlockSchemaStore.Stored, JSONObject)] = []
        for entry in catalog.blockSchemas {
            guard let typeID = typeIDs[entry.blockTypeSlug] else { continue }
            if existingSchemas.contains(SchemaKey(checksum: entry.checksum, version: entry.version)) { continue }
            var fields = entry.fields
            let references = fields.removeValue(forKey: "block_schema_references")?.objectValue ?? [:]
            let definitions = (fields["definitions"]?.objectValue ?? [:]).filter { ($0.value["block_type_slug"] ?? .null) == .null }
            if definitions.isEmpty {
                fields.removeValue(forKey: "definitions")
            } else {
                fields["definitions"] = .object(definitions)
            }
            let stored = try BlockSchemaStore.insertStored(
                db, fields: fields, checksum: entry.checksum, blockTypeID: typeID, capabilities: entry.capabilities,
                version: entry.version, now: now)
            inserted.append((stored, references))
        }
        for (parent, references) in inserted {
            for (name, value) in references {
                for reference in value.arrayValue ?? [value] {
                    let checksum = reference["block_schema_checksum"]?.stringValue ?? ""
                    guard let nested = try BlockSchemaStore.read(db, checksum: checksum, version: nil) else { continue }
                    try BlockSchemaStore.link(db, parent: parent.id, reference: nested.id, name: name, now: now)
                }
            }
        }
    }

    /// `register_block_type`: insert, or refresh the descriptive members of the existing type.
    private static func registerType(
        _ db: Database, _ entry: BlockTypeStore.Create, existing: BlockType?, now: Date
    ) throws -> UUID {
        if let existing {
            let changes: BlockTypeStore.Changes = [
                ("logo_url", entry.logoURL), ("documentation_url", entry.documentationURL),
                ("description", entry.description), ("code_example", entry.codeExample),
            ]
            let unchanged = existing.logoURL == entry.logoURL && existing.documentationURL == entry.documentationURL
                && existing.description == entry.description && existing.codeExample == entry.codeExample
                && existing.isProtected == entry.isProtected
            if !unchanged {
                _ = try BlockTypeStore.update(db, id: existing.id, changes, now: now)
                if entry.isProtected {
                    try db.execute(sql: "UPDATE block_type SET is_protected = 1 WHERE id = ?", arguments: [existing.id.prefectString])
                }
            }
            return existing.id
        }
        return try BlockTypeStore.create(db, entry, now: now).id
    }
}
