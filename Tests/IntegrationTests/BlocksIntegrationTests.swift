import Foundation
import PrefectClient
import Testing

/// The checksums Prefect 3.9.1 computes for ``BlockFixtures``' schemas
/// (`Block._calculate_schema_checksum`, run on those fields with Prefect's own Python).
private enum PrefectChecksums {
    static let credentials = "sha256:3a7af46f308481792eee93eb0c614ac49ea7fdd5979b13e808b6cada64ca188a"
    static let connection = "sha256:9f2e5f1a5ceef9149275db2f38711d9bb698eeeda3486ca3d1202b874e62a386"
    /// The `Secret` block's schema, as a fresh Prefect 3.9.1 server registers it.
    static let secret = "sha256:c078ed9c1e813e224c0b353d7ad4564a11d51d3198d9ac0686478165a1911c78"
}

/// Two block types of the tests' own: credentials with a secret password (a non-ASCII
/// description and a float default, which the checksum's JSON text must write as Python does),
/// and a connection that nests them.
private enum BlockFixtures {
    static let credentialsSlug = "swift-test-credentials"
    static let connectionSlug = "swift-test-connection"

    static let credentialsFields: JSONObject = [
        "title": "SwiftTestCredentials", "type": "object", "block_type_slug": .string(credentialsSlug), "description": "Credentials café",
        "properties": [
            "username": ["title": "Username", "type": "string"],
            "password": ["title": "Password", "type": "string", "format": "password", "writeOnly": true],
            "port": ["title": "Port", "type": "integer", "default": 5432],
            "timeout": ["title": "Timeout", "type": "number", "default": 2.5],
        ],
        "required": ["username", "password"], "secret_fields": ["password"], "block_schema_references": [:],
    ]

    static let connectionFields: JSONObject = [
        "title": "SwiftTestConnection", "type": "object", "block_type_slug": .string(connectionSlug),
        "properties": [
            "host": ["title": "Host", "type": "string"],
            "credentials": ["$ref": "#/definitions/SwiftTestCredentials"],
            "mode": ["$ref": "#/definitions/Mode"],
        ],
        "required": ["host", "credentials"], "secret_fields": ["credentials.password"],
        "block_schema_references": [
            "credentials": ["block_schema_checksum": .string(PrefectChecksums.credentials), "block_type_slug": .string(credentialsSlug)]
        ],
        "definitions": [
            "SwiftTestCredentials": .object(credentialsFields),
            "Mode": ["title": "Mode", "enum": ["a", "b"], "type": "string"],
            "Unused": ["title": "Unused", "type": "string"],
        ],
    ]

    /// The block type `slug`, registered unless an earlier test did.
    static func blockType(_ client: PrefectClient, slug: String, name: String) async throws -> BlockType {
        do {
            return try await client.createBlockType(BlockTypeCreate(name: name, slug: slug, description: "A <test> & more"))
        } catch is ObjectAlreadyExists {
            return try await client.readBlockTypeBySlug(slug)
        }
    }

    /// Both types and the connection's schema (which registers the credentials' as well).
    static func schemas(_ client: PrefectClient) async throws -> (credentials: BlockSchema, connection: BlockSchema) {
        let credentialsType = try await blockType(client, slug: credentialsSlug, name: "Swift Test Credentials")
        let connectionType = try await blockType(client, slug: connectionSlug, name: "Swift Test Connection")
        let connection: BlockSchema
        do {
            connection = try await client.createBlockSchema(BlockSchemaCreate(fields: connectionFields, blockTypeID: connectionType.id))
        } catch is ObjectAlreadyExists {
            // Another test registered it at the same moment; now it exists, and is answered.
            connection = try await client.createBlockSchema(BlockSchemaCreate(fields: connectionFields, blockTypeID: connectionType.id))
        }
        let credentials = try await client.readBlockSchemaByChecksum(PrefectChecksums.credentials)
        #expect(credentials.blockTypeID == credentialsType.id)
        return (credentials, connection)
    }
}

@Suite("Blocks on every server")
struct BlocksIntegrationTests {
    @Test("a server has Prefect's block types and schemas from the start", arguments: ServerUnderTest.available)
    func systemBlocks(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let types = try await client.readBlockTypes()
            let slugs = Set(types.map(\.slug))
            for slug in ["secret", "webhook", "local-file-system", "remote-file-system", "s3-bucket", "slack-webhook", "smb"] {
                #expect(slugs.contains(slug), "block type \(slug)")
            }
            #expect(types.map(\.name) == types.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, "by name")
            #expect(Set(types.filter(\.isProtected).map(\.slug)) == ["secret", "webhook", "local-file-system"])

            let secret = try await client.readBlockTypeBySlug("secret")
            #expect(secret.name == "Secret")
            #expect(secret.isProtected)
            let schema = try #require(try await client.getMostRecentBlockSchemaForBlockType(blockTypeID: secret.id))
            #expect(schema.checksum == PrefectChecksums.secret)
            #expect(schema.version == "3.9.1")
            #expect(schema.fields["secret_fields"] == ["value", "value"])
            #expect(schema.blockType?.slug == "secret")
            let byChecksum = try await client.readBlockSchemaByChecksum(PrefectChecksums.secret, version: "3.9.1")
            #expect(byChecksum.id == schema.id)

            let s3 = try await client.readBlockTypeBySlug("s3-bucket")
            let s3Schema = try #require(try await client.getMostRecentBlockSchemaForBlockType(blockTypeID: s3.id))
            let s3References = s3Schema.fields["block_schema_references"]?["credentials"]
            #expect(s3References.map { value -> [JSONValue] in
                if case .array(let entries) = value { return entries.compactMap { $0["block_type_slug"] } }
                return []
            } == ["aws-credentials", "minio-credentials"], "a property of two block types lists both nested schemas")
            #expect(s3Schema.fields["definitions"]?["AwsCredentials"]?["block_type_slug"] == "aws-credentials")

            let all = try await client.readBlockSchemas()
            #expect(all.count >= 64)
            #expect(all.contains { $0.id == schema.id })
            await #expect(throws: ObjectNotFound.self) { try await client.readBlockTypeBySlug("no-such-block-type") }
            await #expect(throws: ObjectNotFound.self) { try await client.readBlockSchemaByChecksum("sha256:0") }
        }
    }

    @Test("block types: create, update, delete; reserved names, taken slugs and protected types refused",
          arguments: ServerUnderTest.available)
    func blockTypes(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let slug = IntegrationServer.uniqueName("swift-type")
            let created = try await client.createBlockType(BlockTypeCreate(
                name: "Swift \(slug)", slug: slug, logoURL: "https://example.com/logo.png", description: "Reads <rows> & writes",
                codeExample: "let x = 1 < 2"))
            #expect(created.slug == slug)
            #expect(created.description == "Reads &lt;rows&gt; &amp; writes", "Prefect escapes a created type's description")
            #expect(created.codeExample == "let x = 1 &lt; 2")
            #expect(!created.isProtected)
            #expect(try await client.readBlockTypeBySlug(slug).id == created.id)
            #expect(try await client.readBlockTypes().contains { $0.id == created.id })

            try await client.updateBlockType(blockTypeID: created.id, BlockTypeUpdate(description: "Plain <now>"))
            let updated = try await client.readBlockTypeBySlug(slug)
            #expect(updated.description == "Plain <now>", "an update is stored as sent")
            #expect(updated.logoURL == "https://example.com/logo.png", "members an update leaves out stay")
            await #expect(throws: ObjectNotFound.self) {
                try await client.updateBlockType(blockTypeID: UUID(), BlockTypeUpdate(description: "x"))
            }

            await #expect(throws: ObjectAlreadyExists.self) {
                try await client.createBlockType(BlockTypeCreate(name: "Another", slug: slug))
            }
            do {
                _ = try await client.createBlockType(BlockTypeCreate(name: "Prefect Things", slug: IntegrationServer.uniqueName("p")))
                Issue.record("a type named Prefect… was created")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 403)
                #expect(error.detail?.stringValue == "Block type names beginning with 'Prefect' are reserved.")
            }
            do {
                _ = try await client.createBlockType(BlockTypeCreate(name: "Bad", slug: "Not A Slug"))
                Issue.record("a slug with spaces was accepted")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 422)
            }

            let secret = try await client.readBlockTypeBySlug("secret")
            await #expect(throws: ProtectedBlockError.self) { try await client.deleteBlockType(blockTypeID: secret.id) }
            try await client.deleteBlockType(blockTypeID: created.id)
            await #expect(throws: ObjectNotFound.self) { try await client.readBlockTypeBySlug(slug) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteBlockType(blockTypeID: created.id) }
        }
    }

    @Test("block schemas: Prefect's checksums, one schema per checksum, nested schemas referenced and rebuilt",
          arguments: ServerUnderTest.available)
    func blockSchemas(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let (credentials, connection) = try await BlockFixtures.schemas(client)
            #expect(connection.checksum == PrefectChecksums.connection)
            #expect(credentials.checksum == PrefectChecksums.credentials, "the nested schema was registered from the definitions")
            #expect(connection.version == "non-versioned")
            #expect(connection.fields["block_schema_references"] == [
                "credentials": ["block_schema_checksum": .string(PrefectChecksums.credentials),
                                "block_type_slug": .string(BlockFixtures.credentialsSlug)],
            ])
            // Read back (a created schema is answered with the definitions as sent).
            let stored = try await client.readBlockSchemaByChecksum(PrefectChecksums.connection)
            let definitions = try #require(stored.fields["definitions"]?.objectValueForTest)
            #expect(Set(definitions.keys) == ["Mode", "SwiftTestCredentials"], "a definition nothing refers to is not kept")
            #expect(definitions["SwiftTestCredentials"]?["secret_fields"] == ["password"])
            #expect(credentials.fields["description"] == "Credentials café")

            let again = try await client.createBlockSchema(BlockSchemaCreate(
                fields: BlockFixtures.connectionFields, blockTypeID: connection.blockTypeID ?? UUID()))
            #expect(again.id == connection.id, "the same fields make the same schema")
            let versioned = try await client.createBlockSchema(BlockSchemaCreate(
                fields: BlockFixtures.connectionFields, blockTypeID: connection.blockTypeID ?? UUID(),
                capabilities: ["read-path"], version: IntegrationServer.uniqueName("v")))
            #expect(versioned.id != connection.id, "another version is another schema")
            #expect(versioned.checksum == connection.checksum)
            let newest = try #require(try await client.getMostRecentBlockSchemaForBlockType(blockTypeID: connection.blockTypeID ?? UUID()))
            #expect(newest.id == versioned.id)
            #expect(try await client.readBlockSchemaByChecksum(connection.checksum, version: "non-versioned").id == connection.id)

            await #expect(throws: ObjectNotFound.self) {
                try await client.createBlockSchema(BlockSchemaCreate(fields: ["title": "X"], blockTypeID: UUID()))
            }
            var orphan = BlockFixtures.connectionFields
            orphan["block_schema_references"] = ["credentials": ["block_schema_checksum": "sha256:1", "block_type_slug": "no-such-type"]]
            await #expect(throws: ObjectAlreadyExists.self, "a nested schema of an unknown block type is Prefect's 409") {
                try await client.createBlockSchema(BlockSchemaCreate(fields: orphan, blockTypeID: connection.blockTypeID ?? UUID()))
            }
        }
    }

    @Test("block documents: secrets obfuscated unless asked for, references resolved, updates keep secrets, cycles refused",
          arguments: ServerUnderTest.available)
    func blockDocuments(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let (credentials, connection) = try await BlockFixtures.schemas(client)
            let credentialsName = IntegrationServer.uniqueName("creds")
            let saved = try await client.createBlockDocument(BlockDocumentCreate(
                name: credentialsName, data: ["username": "swift", "password": "hunter2", "port": 5433],
                blockSchemaID: credentials.id, blockTypeID: credentials.blockTypeID ?? UUID()))
            #expect(saved.data == ["username": "swift", "password": "********", "port": 5433], "the answer hides the secret")
            #expect(saved.blockTypeName == "Swift Test Credentials")
            #expect(saved.blockSchema?.checksum == PrefectChecksums.credentials)
            #expect(!String(describing: saved).contains("swift"), "a document's description shows no values")
            #expect(try await client.readBlockDocument(blockDocumentID: saved.id).data["password"] == "hunter2")
            #expect(try await client.readBlockDocument(blockDocumentID: saved.id, includeSecrets: false).data["password"] == "********")

            let connectionName = IntegrationServer.uniqueName("conn")
            let parent = try await client.createBlockDocument(BlockDocumentCreate(
                name: connectionName, data: ["host": "db.local", "credentials": ["$ref": ["block_document_id": .string(saved.id.prefectString)]]],
                blockSchemaID: connection.id, blockTypeID: connection.blockTypeID ?? UUID()))
            #expect(parent.data["credentials"] == ["username": "swift", "password": "********", "port": 5433])
            let reference = parent.blockDocumentReferences["credentials"]?["block_document"]
            #expect(reference?["id"] == .string(saved.id.prefectString))
            #expect(reference?["name"] == .string(credentialsName))
            #expect(reference?["block_type"]?["slug"] == .string(BlockFixtures.credentialsSlug))
            let full = try await client.readBlockDocumentByName(connectionName, blockTypeSlug: BlockFixtures.connectionSlug)
            #expect(full.data["credentials"]?["password"] == "hunter2", "the referenced document's secret, when asked for")
            #expect(try await client.readBlockDocumentsByType(blockTypeSlug: BlockFixtures.connectionSlug).contains { $0.id == parent.id })
            #expect(try await client.readBlockDocuments(limit: 200).contains { $0.name == credentialsName })
            await #expect(throws: ObjectNotFound.self) {
                try await client.readBlockDocumentByName("no-such-document", blockTypeSlug: BlockFixtures.connectionSlug)
            }

            // Saving back what a read without secrets returned keeps the stored secret.
            try await client.updateBlockDocument(blockDocumentID: saved.id, BlockDocumentUpdate(data: ["password": "********", "port": 6000]))
            let merged = try await client.readBlockDocument(blockDocumentID: saved.id)
            #expect(merged.data == ["username": "swift", "password": "hunter2", "port": 6000])
            try await client.updateBlockDocument(
                blockDocumentID: saved.id, BlockDocumentUpdate(data: ["username": "other", "password": "new"], mergeExistingData: false))
            #expect(try await client.readBlockDocument(blockDocumentID: saved.id).data == ["username": "other", "password": "new"])

            do {
                try await client.updateBlockDocument(
                    blockDocumentID: saved.id,
                    BlockDocumentUpdate(data: ["loop": ["$ref": ["block_document_id": .string(parent.id.prefectString)]]]))
                Issue.record("a reference cycle was stored")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 400)
                #expect(error.detail?.stringValue?.hasPrefix("Cannot create block document reference: it would introduce a cycle") == true)
            }
            await #expect(throws: ObjectAlreadyExists.self) {
                try await client.createBlockDocument(BlockDocumentCreate(
                    name: credentialsName, data: [:], blockSchemaID: credentials.id, blockTypeID: credentials.blockTypeID ?? UUID()))
            }
            await #expect(throws: ObjectNotFound.self) {
                try await client.updateBlockDocument(blockDocumentID: UUID(), BlockDocumentUpdate(data: ["x": 1]))
            }

            try await client.deleteBlockDocument(blockDocumentID: parent.id)
            await #expect(throws: ObjectNotFound.self) { try await client.readBlockDocument(blockDocumentID: parent.id) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteBlockDocument(blockDocumentID: parent.id) }
            try await client.deleteBlockDocument(blockDocumentID: saved.id)
        }
    }

    @Test("a Secret block saved and read back; anonymous documents are left out of lists", arguments: ServerUnderTest.available)
    func secretBlock(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let secretType = try await client.readBlockTypeBySlug("secret")
            let schema = try #require(try await client.getMostRecentBlockSchemaForBlockType(blockTypeID: secretType.id))
            let name = IntegrationServer.uniqueName("api-key")
            let saved = try await client.createBlockDocument(BlockDocumentCreate(
                name: name, data: ["value": "sk-123"], blockSchemaID: schema.id, blockTypeID: secretType.id))
            #expect(saved.data["value"] == "********")
            #expect(try await client.readBlockDocumentByName(name, blockTypeSlug: "secret").data["value"] == "sk-123")

            let anonymous = try await client.createBlockDocument(BlockDocumentCreate(
                data: ["value": "hidden"], blockSchemaID: schema.id, blockTypeID: secretType.id, isAnonymous: true))
            #expect(anonymous.name?.hasPrefix("anonymous-") == true)
            let listed = try await client.readBlockDocumentsByType(blockTypeSlug: "secret")
            #expect(listed.contains { $0.id == saved.id })
            #expect(!listed.contains { $0.id == anonymous.id }, "anonymous documents are not listed")
            #expect(try await client.readBlockDocument(blockDocumentID: anonymous.id).data["value"] == "hidden")
            try await client.deleteBlockDocument(blockDocumentID: anonymous.id)
            try await client.deleteBlockDocument(blockDocumentID: saved.id)
        }
    }
}

extension JSONValue {
    fileprivate var objectValueForTest: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }
}
