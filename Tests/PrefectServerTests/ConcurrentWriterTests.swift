import Foundation
import PrefectClient
import PrefectSchemas
import PrefectServer
import PrefectTestKit
import Testing

/// The single writer serialises writes: concurrent writers never see "database is locked".
@Suite("Concurrent writers")
struct ConcurrentWriterTests {
    @Test("16 concurrent writers all succeed without a single retry", arguments: [PrefectTestServerTransport.inProcess, .loopback])
    func sixteenWriters(transport: PrefectTestServerTransport) async throws {
        try await withPrefectTestServer(transport) { testClient in
            var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
            settings.maxRetries = 0
            let flowID = try await testClient.createFlowFromName("concurrent")
            let client: PrefectClient
            if transport == .loopback {
                settings.apiURL = URL(string: testClient.apiURL)
                client = try PrefectClient(settings: settings)
            } else {
                client = testClient
            }
            let created = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        for index in 0..<20 {
                            let run = try await client.createFlowRun(flowID: flowID, name: "w\(writer)-\(index)")
                            _ = try await client.setFlowRunState(flowRunID: run.id, state: .running())
                            try await client.createLogs([LogCreate(name: "test", level: 20, message: "m", timestamp: Date(), flowRunID: run.id)])
                        }
                        return 20
                    }
                }
                return try await group.reduce(0, +)
            }
            if transport == .loopback { try await client.shutdown() }
            #expect(created == 320)
            #expect(try await testClient.countFlowRuns(flowRunFilter: FlowRunFilter(state: FlowRunFilterState(
                type: FlowRunFilterStateType(any: [.running])))) == 320)
        }
    }
}
