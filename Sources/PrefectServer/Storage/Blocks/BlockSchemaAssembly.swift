import Foundation
import GRDB
import PrefectSchemas

/// A stored block schema made whole again, as Prefect's `_construct_full_block_schema` does:
/// `block_schema_references` rebuilt from the reference rows (a list where one property may
/// hold several block types), and each nested schema's fields, recursively, added to
/// `definitions` under its title.
enum BlockSchemaAssembly {
    /// How deep nested schemas may go; deeper is a damaged database (schemas reference each
    /// other by checksum, so a cycle cannot be created through the API).
    static let maximumDepth = 50

    static func schema(_ db: Database, _ stored: BlockSchemaStore.Stored) throws -> BlockSchema {
        var lookups = BlockLookups()
        return try schema(db, stored, &lookups)
    }

    /// The schema, its block types read through `lookups` (shared by the schemas of one answer).
    static func schema(_ db: Database, _ stored: BlockSchemaStore.Stored, _ lookups: inout BlockLookups) throws -> BlockSchema {
        BlockSchema(
            id: stored.id, created: stored.created, updated: stored.updated, checksum: stored.checksum,
            fields: try fields(db, stored, depth: 0, &lookups), blockTypeID: stored.blockTypeID,
            blockType: try lookups.blockType(db, id: stored.blockTypeID), capabilities: stored.capabilities,
            version: stored.version)
    }

    private static func fields(
        _ db: Database, _ stored: BlockSchemaStore.Stored, depth: Int, _ lookups: inout BlockLookups
    ) throws -> JSONObject {
        guard depth <= maximumDepth else { throw StoredValueError(table: "block_schema_reference", column: "reference_block_schema_id") }
        var fields = stored.fields
        var references: [(name: String, value: JSONValue)] = []
        var definitions: JSONObject = [:]
        for (name, nested) in try BlockSchemaStore.references(db, parent: stored.id) {
            let slug = try lookups.blockType(db, id: nested.blockTypeID)?.slug
            let entry: JSONValue = ["block_schema_checksum": .string(nested.checksum), "block_type_slug": slug.map(JSONValue.string) ?? .null]
            if let index = references.firstIndex(where: { $0.name == name }) {
                switch references[index].value {
                case .array(var entries):
                    if !entries.contains(entry) { entries.append(entry) }
                    references[index].value = .array(entries)
                case let single where single != entry:
                    references[index].value = .array([single, entry])
                default:
                    continue
                }
            } else {
                references.append((name, entry))
            }
            var nestedFields = try self.fields(db, nested, depth: depth + 1, &lookups)
            if let title = nestedFields["title"], title != .null, let key = title.stringValue {
                let nestedDefinitions = nestedFields.removeValue(forKey: "definitions")?.objectValue ?? [:]
                definitions[key] = .object(nestedFields)
                definitions.merge(nestedDefinitions) { _, new in new }
            }
        }
        var named = JSONObject()
        for reference in references where named[reference.name] == nil { named[reference.name] = reference.value }
        fields["block_schema_references"] = .object(named)
        let ownDefinitions = fields["definitions"]
        if !definitions.isEmpty || ownDefinitions?.isTruthy == true {
            fields["definitions"] = .object((ownDefinitions?.objectValue ?? [:]).merging(definitions) { _, new in new })
        }
        return fields
    }
}
