import Foundation
import PrefectClient
import Testing

@Suite("Server settings and Cloud-only features on every server")
struct ServerSettingsIntegrationTests {
    @Test("default result storage: unset on a new server, cleared, refused for a block document that does not exist",
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
