public import Foundation
import HTTPTypes

/// Block documents (Prefect's `BlocksDocumentAsyncClient`,
/// `prefect/client/orchestration/_blocks_documents/client.py`): a block's saved configuration.
///
/// A member of `data` that is `{"$ref": {"block_document_id": "…"}}` refers to another document,
/// whose data the server puts in its place when the document is read. Secret fields (the
/// schema's `secret_fields`) come back as `"********"` unless a read asks for `includeSecrets`;
/// an update that sends them back obfuscated keeps the stored values.
extension PrefectClient {
    /// Saves a block document (`POST /block_documents/`); the answer has its secrets obfuscated.
    ///
    /// - Throws: ``ObjectAlreadyExists`` when the block type has a document with this name, or a
    ///   type, schema or referenced document does not exist (Prefect's integrity 409).
    public func createBlockDocument(_ blockDocument: BlockDocumentCreate) async throws -> BlockDocument {
        try await request(.post, "/block_documents/", json: blockDocument, errors: .conflict).decode(BlockDocument.self)
    }

    /// Changes the document's data (merged into the stored data unless
    /// `mergeExistingData` is false) or schema (`PATCH /block_documents/{id}`).
    ///
    /// - Throws: ``ObjectNotFound``.
    public func updateBlockDocument(blockDocumentID: UUID, _ blockDocument: BlockDocumentUpdate) async throws {
        _ = try await request(.patch, "/block_documents/\(Self.segment(blockDocumentID))", json: blockDocument, errors: .notFound)
    }

    /// `DELETE /block_documents/{id}`.
    ///
    /// - Throws: ``ObjectNotFound``.
    public func deleteBlockDocument(blockDocumentID: UUID) async throws {
        _ = try await request(.delete, "/block_documents/\(Self.segment(blockDocumentID))", errors: .notFound)
    }

    /// The document with this id (`GET /block_documents/{id}`), its references' data in place.
    ///
    /// - Throws: ``ObjectNotFound``.
    public func readBlockDocument(blockDocumentID: UUID, includeSecrets: Bool = true) async throws -> BlockDocument {
        try await request(
            .get, "/block_documents/\(Self.segment(blockDocumentID))",
            query: [URLQueryItem(name: "include_secrets", value: includeSecrets ? "true" : "false")], errors: .notFound
        ).decode(BlockDocument.self)
    }

    /// Block documents by name, anonymous ones left out (`POST /block_documents/filter`).
    ///
    /// `blockSchemaType` is sent as Prefect's Python client sends it; Prefect 3.9.1's server
    /// ignores it.
    public func readBlockDocuments(
        blockSchemaType: String? = nil, offset: Int? = nil, limit: Int? = nil, includeSecrets: Bool = true
    ) async throws -> [BlockDocument] {
        let body = BlockDocumentQuery(blockSchemaType: blockSchemaType, offset: offset, limit: limit, includeSecrets: includeSecrets)
        return try await request(.post, "/block_documents/filter", json: body).decode([BlockDocument].self)
    }
}

/// The body of `/block_documents/filter` as `read_block_documents` sends it.
private struct BlockDocumentQuery: Encodable {
    var blockSchemaType: String?
    var offset: Int?
    var limit: Int?
    var includeSecrets: Bool

    enum CodingKeys: String, CodingKey {
        case blockSchemaType = "block_schema_type"
        case offset, limit
        case includeSecrets = "include_secrets"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(blockSchemaType, forKey: .blockSchemaType)
        try container.encodeIfPresent(offset, forKey: .offset)
        try container.encodeIfPresent(limit, forKey: .limit)
        try container.encode(includeSecrets, forKey: .includeSecrets)
    }
}
