import Foundation
import Prefect
import PrefectClient
import Testing

@Suite("Runtime: run logs reach the API on every server")
struct RuntimeLogTests {
    @Test("flow and task loggers send their records with the right run ids", arguments: ServerUnderTest.withDistributed)
    func runLogs(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let say = PrefectTask("say") { (word: String) -> String in
                RunContext.logger.warning("task says \(word)")
                return word
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("logs")) { () -> String in
                RunContext.logger.info("flow starts")
                let words = try await say.map(["alpha", "beta", "gamma"])
                RunContext.logger.debug("not recorded at INFO")
                return words.joined(separator: " ")
            }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == "alpha beta gamma")
            let logs = try await client.readLogs(logFilter: LogFilter(flowRunID: LogFilterFlowRunId(any: [outcome.flowRunID])))
            let flowLogs = logs.filter { $0.taskRunID == nil }
            #expect(flowLogs.contains { $0.message == "flow starts" && $0.level == 20 && $0.name == "prefect.flow_runs" })
            #expect(flowLogs.contains { $0.message.hasPrefix("Beginning flow run '\(outcome.flowRunName)'") })
            #expect(flowLogs.contains { $0.message == "Finished in state Completed()" })
            #expect(!logs.contains { $0.message == "not recorded at INFO" })
            let tasks = try await RuntimeHarness.taskRuns(client, of: outcome)
            for word in ["alpha", "beta", "gamma"] {
                let record = try #require(logs.first { $0.message == "task says \(word)" })
                #expect(record.level == 30)
                #expect(record.name == "prefect.task_runs")
                let task = try #require(tasks.first { $0.id == record.taskRunID })
                #expect(task.flowRunID == outcome.flowRunID)
            }
        }
    }
}
