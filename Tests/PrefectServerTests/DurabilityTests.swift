import Foundation
import GRDB
import PrefectClient
import PrefectSchemas
import Synchronization
import Testing

/// A server killed with SIGKILL mid-write loses nothing it acknowledged and leaves a sound
/// database: SQLite's WAL commits before the answer is sent.
@Suite("Durability of the embedded server")
struct DurabilityTests {
    @Test("SIGKILL during 16-way concurrent writes: every acknowledged write survives, integrity_check is ok")
    func killDuringWrites() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("prefect.db").path

        let server = try ServerProcess(database: database)
        var settings = PrefectSettings(home: directory.path)
        settings.apiURL = server.apiURL
        settings.maxRetries = 0
        settings.requestTimeout = 5
        let client = try PrefectClient(settings: settings)
        let flowID = try await client.createFlowFromName("durability")
        let acknowledged = Acknowledged()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    var index = 0
                    while true {
                        do {
                            let run = try await client.createFlowRun(
                                flowID: flowID, name: "w\(writer)-\(index)", parameters: ["writer": .int(Int64(writer))])
                            acknowledged.ids.withLock { $0.append(run.id) }
                            index += 1
                        } catch {
                            return
                        }
                    }
                }
            }
            group.addTask {
                while acknowledged.ids.withLock({ $0.count }) < 300 { try await Task.sleep(for: .milliseconds(5)) }
                server.kill(SIGKILL)
            }
            try await group.waitForAll()
        }
        try await client.shutdown()
        let written = acknowledged.ids.withLock { $0 }
        #expect(written.count >= 300)

        let integrity = try await DatabaseQueue(path: database).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])

        let restarted = try ServerProcess(database: database)
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

/// The ids of the flow runs whose creation the server answered.
private final class Acknowledged: Sendable {
    let ids = Mutex<[UUID]>([])
}
