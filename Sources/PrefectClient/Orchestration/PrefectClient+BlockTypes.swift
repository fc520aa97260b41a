public import Foundation
import HTTPTypes

/// Block types (Prefect's `BlocksTypeAsyncClient`, `prefect/client/orchestration/_blocks_types/client.py`).
extension PrefectClient {
    /// Registers a block type (`POST /block_types/`). Names beginning with "Prefect" are the
    /// server's own.
    ///
    /// - Throws: ``ObjectAlreadyExists`` when the slug is taken.
    public func createBlockType(_ blockType: BlockTypeCreate) async throws -> BlockType {
        try await request(.post, "/block_types/", json: blockType, errors: .conflict).decode(BlockType.self)
    }

    /// The block type with this slug (`GET /block_types/slug/{slug}`): `secret`, `webhook`,
    /// `local-file-system` and the others every server registers, or one of yours.
    ///
    /// - Throws: ``ObjectNotFound``.
    public func readBlockTypeBySlug(_ slug: String) async throws -> BlockType {
        try await request(.get, "/block_types/slug/\(Self.segment(slug))", errors: .notFound).decode(BlockType.self)
    }

    /// Every block type, by name (`POST /block_types/filter`).
    public func readBlockTypes() async throws -> [BlockType] {
        try await request(.post, "/block_types/filter", json: EmptyBody()).decode([BlockType].self)
    }

    /// Changes the members `blockType` sets (`PATCH /block_types/{id}`).
    ///
    /// - Throws: ``ObjectNotFound``.
    public func updateBlockType(blockTypeID: UUID, _ blockType: BlockTypeUpdate) async throws {
        _ = try await request(.patch, "/block_types/\(Self.segment(blockTypeID))", json: blockType, errors: .notFound)
    }

    /// Deletes the block type with its schemas and documents (`DELETE /block_types/{id}`).
    ///
    /// - Throws: ``ObjectNotFound``; ``ProtectedBlockError`` for a type the server protects.
    public func deleteBlockType(blockTypeID: UUID) async throws {
        do {
            _ = try await request(.delete, "/block_types/\(Self.segment(blockTypeID))", errors: .notFound)
        } catch let error as PrefectHTTPStatusError
            where error.statusCode == 403 && error.detail?.stringValue == "protected block types cannot be deleted." {
            throw ProtectedBlockError(httpError: error)
        }
    }

    /// The documents of the block type with this slug, anonymous ones left out
    /// (`GET /block_types/slug/{slug}/block_documents`). Secret fields are obfuscated unless
    /// `includeSecrets`. Prefect 3.9.1's server ignores `offset` and `limit` here and answers
    /// every document; they are sent as the Python client sends them.
    public func readBlockDocumentsByType(
        blockTypeSlug: String, offset: Int? = nil, limit: Int? = nil, includeSecrets: Bool = true
    ) async throws -> [BlockDocument] {
        var query = [URLQueryItem(name: "include_secrets", value: includeSecrets ? "true" : "false")]
        if let offset { query.append(URLQueryItem(name: "offset", value: String(offset))) }
        if let limit { query.append(URLQueryItem(name: "limit", value: String(limit))) }
        return try await request(.get, "/block_types/slug/\(Self.segment(blockTypeSlug))/block_documents", query: query)
            .decode([BlockDocument].self)
    }

    /// The document `name` of the block type with this slug
    /// (`GET /block_types/slug/{slug}/block_documents/name/{name}`), anonymous or not.
    ///
    /// - Throws: ``ObjectNotFound``.
    public func readBlockDocumentByName(_ name: String, blockTypeSlug: String, includeSecrets: Bool = true) async throws -> BlockDocument {
        try await request(
            .get, "/block_types/slug/\(Self.segment(blockTypeSlug))/block_documents/name/\(Self.segment(name))",
            query: [URLQueryItem(name: "include_secrets", value: includeSecrets ? "true" : "false")], errors: .notFound
        ).decode(BlockDocument.self)
    }
}

/// `{}`: a filter body with nothing set.
struct EmptyBody: Encodable {}
