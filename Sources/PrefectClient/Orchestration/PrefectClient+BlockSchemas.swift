public import Foundation
import HTTPTypes

/// Block schemas (Prefect's `BlocksSchemaAsyncClient`, `prefect/client/orchestration/_blocks_schemas/client.py`).
extension PrefectClient {
    /// Registers a block schema (`POST /block_schemas/`); the server computes its checksum, and
    /// answers the existing schema when one with that checksum and version exists.
    ///
    /// - Throws: ``ObjectAlreadyExists`` when a nested schema's block type is not registered
    ///   (Prefect's 409); ``ObjectNotFound`` when the block type is not.
    public func createBlockSchema(_ blockSchema: BlockSchemaCreate) async throws -> BlockSchema {
        try await request(.post, "/block_schemas/", json: blockSchema, errors: [.conflict, .notFound]).decode(BlockSchema.self)
    }

    /// The newest schema with this checksum, of `version` when given
    /// (`GET /block_schemas/checksum/{checksum}`).
    ///
    /// - Throws: ``ObjectNotFound``.
    public func readBlockSchemaByChecksum(_ checksum: String, version: String? = nil) async throws -> BlockSchema {
        try await request(
            .get, "/block_schemas/checksum/\(Self.segment(checksum))",
            query: version.map { [URLQueryItem(name: "version", value: $0)] } ?? [], errors: .notFound
        ).decode(BlockSchema.self)
    }

    /// Every block schema, newest first (`POST /block_schemas/filter`).
    public func readBlockSchemas() async throws -> [BlockSchema] {
        try await request(.post, "/block_schemas/filter", json: EmptyBody()).decode([BlockSchema].self)
    }

    /// The newest schema of the block type, or `nil` when it has none.
    public func getMostRecentBlockSchemaForBlockType(blockTypeID: UUID) async throws -> BlockSchema? {
        let body = BlockSchemaQuery(
            blockSchemas: BlockSchemaFilter(blockTypeID: BlockSchemaFilterBlockTypeId(any: [blockTypeID])), limit: 1)
        return try await request(.post, "/block_schemas/filter", json: body).decode([BlockSchema].self).first
    }
}

/// The body of `/block_schemas/filter`.
private struct BlockSchemaQuery: Encodable {
    var blockSchemas: BlockSchemaFilter
    var limit: Int

    enum CodingKeys: String, CodingKey {
        case blockSchemas = "block_schemas"
        case limit
    }
}
