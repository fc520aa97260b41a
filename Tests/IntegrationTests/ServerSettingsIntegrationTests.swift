import Foundation
import PrefectClient
import Testing

@Suite("Server settings and Cloud-only features on every server")
struct ServerSettingsIntegrationTests {
    @Test("default result storage: unset on a new server, cleared, refused for a missing or unsuitable block, set to a file system",
          arguments: ServerUnderTest.available)
    func defaultResultStorage(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            try await client.clearServerDefaultResultStorage()
            #expect(try await client.readServerDefaultResultStorage().defaultResultStorageBlockID == nil)
            let missing = UUID()
            do {
                _ = try await client.updateServerDefaultResultStorage(defaultResultStorageBlockID: missing)
                Issue.record("a block document that does not exist became the result storage")
            } catch let error as ObjectNotFound {
                #expect(error.detail == "Block document \(missing.prefectString) not found.")
            }
            #expect(try await client.readServerDefaultResultStorage().defaultResultStorageBlockID == nil)

            // A file-system block becomes it, a Secret cannot, deleting the block clears it.
            let fileSystem = try await client.readBlockTypeBySlug("local-file-system")
            let fileSchema = try #require(try await client.getMostRecentBlockSchemaForBlockType(blockTypeID: fileSystem.id))
            #expect(fileSchema.capabilities.contains("write-path"))
            let storage = try await client.createBlockDocument(BlockDocumentCreate(
                name: IntegrationServer.uniqueName("results"), data: ["basepath": "/tmp/swift-results"],
                blockSchemaID: fileSchema.id, blockTypeID: fileSystem.id))
            let set = try await client.updateServerDefaultResultStorage(defaultResultStorageBlockID: storage.id)
            #expect(set.defaultResultStorageBlockID == storage.id)
            #expect(try await client.readServerDefaultResultStorage().defaultResultStorageBlockID == storage.id)

            let secretType = try await client.readBlockTypeBySlug("secret")
            let secretSchema = try #require(try await client.getMostRecentBlockSchemaForBlockType(blockTypeID: secretType.id))
            let secret = try await client.createBlockDocument(BlockDocumentCreate(
                name: IntegrationServer.uniqueName("not-storage"), data: ["value": "x"], blockSchemaID: secretSchema.id,
                blockTypeID: secretType.id))
            do {
                _ = try await client.updateServerDefaultResultStorage(defaultResultStorageBlockID: secret.id)
                Issue.record("a Secret became the result storage")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 422)
                #expect(error.detail?.stringValue == "Block document \(secret.id.prefectString) cannot be used for result storage.")
            }
            #expect(try await client.readServerDefaultResultStorage().defaultResultStorageBlockID == storage.id)

            try await client.deleteBlockDocument(blockDocumentID: storage.id)
            #expect(try await client.readServerDefaultResultStorage().defaultResultStorageBlockID == nil,
                    "deleting the storage block clears the setting")
            try await client.deleteBlockDocument(blockDocumentID: secret.id)
        }
    }

    @Test("SLAs are Prefect Cloud's: a self-hosted server answers 404", arguments: ServerUnderTest.available)
    func slas(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let slas = [
                ServiceLevelAgreement(name: "fast", kind: .timeToCompletion(seconds: 600), severity: .high),
                ServiceLevelAgreement(name: "fresh", kind: .frequency(staleAfterSeconds: 3_600)),
            ]
            do {
                _ = try await client.applySLAsForDeployment(deploymentID: UUID(), slas: slas)
                Issue.record("a self-hosted server applied SLAs")
            } catch let error as PrefectHTTPStatusError {
                #expect(error.statusCode == 404)
                #expect(error.detail?.stringValue == "Not Found")
            }
        }
    }
}
