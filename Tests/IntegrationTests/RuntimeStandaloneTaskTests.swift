import Foundation
import Prefect
import PrefectClient
import Testing

@Suite("Runtime: a task called outside any flow, on every server")
struct RuntimeStandaloneTaskTests {
    @Test(
        "a task called outside any flow sends its report before it returns: in-process the server shows it Completed at once, elsewhere once its recorder ran",
        arguments: ServerUnderTest.withDistributed)
    func standaloneTask(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let name = IntegrationServer.uniqueName("standalone")
            let square = PrefectTask(name) { (value: Int) -> Int in value * value }
            let result = try await PrefectRuntime.$current.withValue(runtime) { try await square(7) }
            #expect(result == 49)
            let filter = TaskRunFilter(name: TaskRunFilterName(like: name))
            var runs = try await client.readTaskRuns(taskRunFilter: filter)
            // In-process the events are stored when POST /events answers: nothing is left to wait for.
            if server != .embedded {
                for _ in 0..<240 where runs.map(\.stateType) != [.completed] {
                    try await Task.sleep(for: .milliseconds(250))
                    runs = try await client.readTaskRuns(taskRunFilter: filter)
                }
            }
            #expect(runs.map(\.stateType) == [.completed])
            #expect(runs.first?.flowRunID == nil)
            #expect(runtime.unsentLogRecords == 0, "its logs went too")
        }
    }
}
