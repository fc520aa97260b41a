import Foundation
import GRDB
import PrefectSchemas

/// Block types and schemas read once per request: assembling a page of documents or a schema
/// with nested schemas needs the same few rows again and again.
struct BlockLookups {
    private var blockTypes: [UUID: BlockType?] = [:]
    private var schemas: [UUID: BlockSchemaStore.Stored?] = [:]

    mutating func blockType(_ db: Database, id: UUID) throws -> BlockType? {
        if let known = blockTypes[id] { return known }
        let read = try BlockTypeStore.read(db, id: id)
        blockTypes[id] = .some(read)
        return read
    }

    mutating func schema(_ db: Database, id: UUID) throws -> BlockSchemaStore.Stored? {
        if let known = schemas[id] { return known }
        let read = try BlockSchemaStore.read(db, id: id)
        schemas[id] = .some(read)
        return read
    }
}
