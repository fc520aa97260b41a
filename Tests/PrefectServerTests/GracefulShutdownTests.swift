import Foundation
import PrefectClient
import PrefectSchemas
import Synchronization
import Testing

/// `prefect-swift server start` stops on SIGTERM and SIGINT by finishing what it answers and
/// exiting 0, and every create it answered is in the database afterwards.
@Suite("Graceful shutdown of prefect-swift server start")
struct GracefulShutdownTests {
    @Test("SIGTERM or SIGINT under 8-way load: exit 0, every answered create kept", arguments: [SIGTERM, SIGINT])
    func stopsGracefully(signal: Int32) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("prefect.db").path
        let server = try ServerProcess(database: database)
        var settings = PrefectSettings(home: directory.path)
        settings.apiURL = server.apiURL
        settings.maxRetries = 0
        let client = try PrefectClient(settings: settings)
        let flowID = try await client.createFlowFromName("graceful")
        let answered = Answered()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while true {
                        do {
                            let run = try await client.createFlowRun(flowID: flowID)
                            answered.ids.withLock { $0.append(run.id) }
                        } catch {
                            return
                        }
                    }
                }
            }
            group.addTask {
                while answered.ids.withLock({ $0.count }) < 100 { try await Task.sleep(for: .milliseconds(5)) }
                server.kill(signal)
            }
            try await group.waitForAll()
        }
        try await client.shutdown()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)

        let restarted = try ServerProcess(database: database)
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

private final class Answered: Sendable {
    let ids = Mutex<[UUID]>([])
}
