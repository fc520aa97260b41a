import Foundation
import GRDB
import PrefectClient
import PrefectSchemas
import PrefectTestSupport
import Synchronization
import Testing

/// A server killed with SIGKILL mid-write loses nothing it acknowledged and leaves a sound
/// database: SQLite's WAL commits before the answer is sent.
@Suite("Durability of the embedded server")
struct DurabilityTests {
    @Test("SIGKILL during 16-way concurrent writes: every acknowledged write survives, integrity_check is ok")
    func killDuringWrites() async throws {
        let folder = try ScratchFolder("prefect-kill")
        defer { folder.remove() }
        let database = folder.database

        let server = try await ServerProcess(database: database)
        var settings = folder.settings(apiURL: server.apiURL)
        let client = try PrefectClient(settings: settings)
        let flowID = try await client.createFlowFromName("durability")
        let acknowledged = AnsweredRuns()
        async let writes: Void = acknowledged.createUntilFailure(client, flowID: flowID, writers: 16)
        try await acknowledged.after(300) { server.kill(SIGKILL) }
        await writes
        try await client.shutdown()
        let written = acknowledged.ids.withLock { $0 }
        #expect(written.count >= 300)

        let integrity = try await DatabaseQueue(path: database).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])

        let restarted = try await ServerProcess(database: database)
        defer { restarted.kill(SIGTERM) }
        settings.apiURL = restarted.apiURL
        try await withPrefectClient(settings: settings) { client in
            var missing = 0
            for id in written {
                do { _ = try await client.readFlowRun(flowRunID: id) } catch { missing += 1 }
            }
            #expect(missing == 0, "\(missing) of \(written.count) acknowledged flow runs were lost")
        }
    }
}
