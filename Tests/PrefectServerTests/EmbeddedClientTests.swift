import Foundation
import PrefectClient
import PrefectSchemas
import PrefectServer
import Testing

/// The entry point: remote with `PREFECT_API_URL`, embedded otherwise, one app per database.
@Suite("Embedded clients")
struct EmbeddedClientTests {
    private func home() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("without PREFECT_API_URL, withPrefectClient runs the embedded server on $PREFECT_HOME/prefect-swift.db")
    func embeddedByDefault() async throws {
        let home = try home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let settings = PrefectSettings(home: home)
        let flowID = try await withPrefectClient(settings: settings) { client in
            #expect(client.serverType == .ephemeral)
            #expect(try await client.apiVersion() == "3.9.1")
            return try await client.createFlowFromName("persisted")
        }
        #expect(FileManager.default.fileExists(atPath: "\(home)/prefect-swift.db"))
        let again = try await withPrefectClient(settings: settings) { try await $0.readFlowByName("persisted") }
        #expect(again.id == flowID, "a later client sees what an earlier one wrote")
    }

    @Test("with PREFECT_API_URL, the client goes over the network")
    func remoteWhenConfigured() async throws {
        var settings = PrefectSettings(home: try home())
        settings.apiURL = URL(string: "http://127.0.0.1:9/api")
        let client = try await PrefectClient.forSettings(settings)
        #expect(client.serverType == .server)
        try await client.shutdown()
    }

    @Test("clients of one database share one app; the last shutdown closes it")
    func sharedLifespan() async throws {
        let home = try home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let settings = PrefectSettings(home: home)
        let lifespan = EmbeddedPrefect.lifespan(databasePath: EmbeddedPrefect.defaultDatabasePath(settings: settings))
        let clients = try await withThrowingTaskGroup(of: PrefectClient.self) { group in
            for _ in 0..<8 { group.addTask { try await EmbeddedPrefect.client(settings: settings) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(await lifespan.users == 8)
        #expect(await lifespan.isRunning)
        for client in clients {
            _ = try await client.createFlowFromName("shared")
            try await client.shutdown()
            try await client.shutdown()
        }
        #expect(await lifespan.users == 0)
        #expect(await lifespan.isRunning == false)
    }
}
