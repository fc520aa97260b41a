import Foundation
import GRDB
import PrefectSchemas

/// Block types in table `block_type` (Prefect's `models/block_types.py`).
enum BlockTypeStore {
    /// The members a block type is created with (Prefect's `BlockTypeCreate`, and `is_protected`
    /// for the system types).
    struct Create: Sendable, Decodable {
        var name: String
        var slug: String
        var logoURL: String?
        var documentationURL: String?
        var description: String?
        var codeExample: String?
        var isProtected = false

        enum CodingKeys: String, CodingKey {
            case name, slug, description
            case logoURL = "logo_url"
            case documentationURL = "documentation_url"
            case codeExample = "code_example"
            case isProtected = "is_protected"
        }
    }

    /// The members an update sets (`BlockTypeUpdate`, `exclude_unset`): column and value.
    typealias Changes = [(column: String, value: String?)]

    private static let columns = "id, created, updated, name, slug, logo_url, documentation_url, description, code_example, is_protected"

    /// Inserts the block type; a taken slug violates the table's unique constraint.
    static func create(_ db: Database, _ create: Create, now: Date) throws -> BlockType {
        let stamp = StoredTime.truncated(now)
        let blockType = BlockType(
            id: UUID.version4(), created: stamp, updated: stamp, name: create.name, slug: create.slug, logoURL: create.logoURL,
            documentationURL: create.documentationURL, description: create.description, codeExample: create.codeExample,
            isProtected: create.isProtected)
        try db.execute(
            sql: "INSERT INTO block_type (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [blockType.id.prefectString, StoredTime.micros(stamp), StoredTime.micros(stamp), blockType.name,
                        blockType.slug, blockType.logoURL, blockType.documentationURL, blockType.description,
                        blockType.codeExample, blockType.isProtected])
        return blockType
    }

    static func read(_ db: Database, id: UUID) throws -> BlockType? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM block_type WHERE id = ?", arguments: [id.prefectString]).map { try blockType($0) }
    }

    static func read(_ db: Database, slug: String) throws -> BlockType? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM block_type WHERE slug = ?", arguments: [slug]).map { try blockType($0) }
    }

    /// The block types that match, by name (Prefect's `read_block_types`).
    static func filter(_ db: Database, _ condition: SQLCondition?, page: Page) throws -> [BlockType] {
        try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM block_type WHERE \(condition?.sql ?? "1") ORDER BY name, rowid \(page.sql)",
            arguments: condition?.statementArguments ?? []
        ).map { try blockType($0) }
    }

    /// Sets the changed members; false when there is no such block type.
    static func update(_ db: Database, id: UUID, _ changes: Changes, now: Date) throws -> Bool {
        let assignments = changes.map { "\($0.column) = ?" } + ["updated = ?"]
        let values: [any DatabaseValueConvertible] = changes.map { $0.value as (any DatabaseValueConvertible)? ?? DatabaseValue.null }
        try db.execute(
            sql: "UPDATE block_type SET \(assignments.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(values + [StoredTime.micros(now), id.prefectString]))
        return db.changesCount > 0
    }

    /// Deletes the block type with its schemas and documents; false when it does not exist.
    static func delete(_ db: Database, id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM block_type WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }

    static func blockType(_ row: Row) throws -> BlockType {
        BlockType(
            id: try StoredColumns.uuid(row, "id", table: "block_type"), created: StoredTime.date(try row.decode(forColumn: "created")), updated: StoredTime.date(try row.decode(forColumn: "updated")),
            name: try row.decode(forColumn: "name"), slug: try row.decode(forColumn: "slug"), logoURL: try row.decode(forColumn: "logo_url"), documentationURL: try row.decode(forColumn: "documentation_url"),
            description: try row.decode(forColumn: "description"), codeExample: try row.decode(forColumn: "code_example"), isProtected: try row.decode(forColumn: "is_protected"))
    }
}
