import Foundation
import PrefectClient
import PrefectSchemas
import PrefectTestSupport
import Synchronization
import Testing

/// `prefect-swift server start` stops on SIGTERM and SIGINT by finishing what it answers and
/// exiting 0, and every create it answered is in the database afterwards.
@Suite("Graceful shutdown of prefect-swift server start")
struct GracefulShutdownTests {
    @Test("SIGTERM or SIGINT under 8-way load: exit 0, every answered create kept", arguments: [SIGTERM, SIGINT])
    func stopsGracefully(signal: Int32) async throws {
        let folder = try ScratchFolder("prefect-stop")
        defer { folder.remove() }
        let database = folder.database
        let server = try await ServerProcess(database: database)
        var settings = folder.settings(apiURL: server.apiURL)
        let client = try PrefectClient(settings: settings)
        let flowID = try await client.createFlowFromName("graceful")
        let answered = AnsweredRuns()
        async let writes: Void = answered.createUntilFailure(client, flowID: flowID, writers: 8)
        try await answered.after(100) { server.kill(signal) }
        await writes
        try await client.shutdown()
        #expect(server.process.exitStatus == 0)

        let restarted = try await ServerProcess(database: database)
        defer { restarted.kill(SIGTERM) }
        settings.apiURL = restarted.apiURL
        let ids = answered.ids.withLock { $0 }
        try await withPrefectClient(settings: settings) { client in
            let stored = try await client.countFlowRuns(flowFilter: FlowFilter(id: FlowFilterId(any: [flowID])))
            #expect(stored >= ids.count)
            for id in ids.suffix(20) { _ = try await client.readFlowRun(flowRunID: id) }
        }
    }
}
