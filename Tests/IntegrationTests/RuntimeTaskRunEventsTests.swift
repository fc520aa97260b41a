import Foundation
import Prefect
import PrefectClient
import PrefectTestSupport
import Testing

@Suite("Runtime: task runs reported as events, on every server")
struct RuntimeTaskRunEventsTests {
    struct Retryable: Error {}

    @Test(
        "task runs reported as Prefect 3.9.1's engine reports them: the server's recorder shows them with their inputs and states",
        arguments: ServerUnderTest.withDistributed)
    func reportedAsEvents(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server, configure: { $0.taskRunReporting = .events }) { runtime, client in
            let attempts = CallCounter()
            let double = PrefectTask("double", tags: ["math"], version: "2") { (values: [Int]) in values.map { $0 * 2 } }
            let total = PrefectTask("total", retries: 1) { (values: [Int]) -> Int in
                if await attempts.next() == 1 { throw Retryable() }
                return values.reduce(0, +)
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("task-events")) { (limit: Int) -> Int in
                try await total(try await double(Array(1...limit)))
            }
            let outcome = try await flow.runReturningOutcome(3, runtime: runtime)
            #expect(try outcome.get() == 12)
            let tasks = try await RuntimeHarness.completedTaskRuns(client, of: outcome.flowRunID, count: 2)
            #expect(tasks.count == 2)
            let first = try #require(tasks.first { $0.taskKey == "double" })
            let second = try #require(tasks.first { $0.taskKey == "total" })
            #expect(Set(outcome.taskRuns.map(\.id)) == Set(tasks.map(\.id)), "the runs have the ids the process gave them")
            #expect(first.tags == ["math"])
            #expect(first.taskVersion == "2")
            #expect(first.runCount == 1)
            #expect(first.startTime != nil && first.endTime != nil)
            #expect(second.taskInputs["input"] == [.taskRun(TaskRunResult(id: first.id))], "the result of double fed total")
            #expect(second.runCount == 2)
            try await RuntimeHarness.expectTaskRunStates(client, first.id, ["Pending", "Running", "Completed"])
            try await RuntimeHarness.expectTaskRunStates(client, second.id, ["Pending", "Running", "Retrying", "Completed"])
            #expect(try await RuntimeHarness.flowRunStateNames(client, outcome.flowRunID) == ["Pending", "Running", "Completed"])
        }
    }

    @Test(
        "a task run of a retried flow's second attempt carries the flow run's run count, reported by REST or events",
        arguments: ServerUnderTest.withDistributed, [TaskRunReporting.rest, .events])
    func flowRunRunCount(server: ServerUnderTest, reporting: TaskRunReporting) async throws {
        try await RuntimeHarness.withRuntime(server, configure: { $0.taskRunReporting = reporting }) { runtime, client in
            let attempts = CallCounter()
            let step = PrefectTask("step") { (attempt: Int) in attempt }
            let flow = PrefectFlow(IntegrationServer.uniqueName("run-count"), retries: 1, retryDelaySeconds: 0) { () -> Int in
                let attempt = await attempts.next()
                _ = try await step(attempt)
                if attempt == 1 { throw Retryable() }
                return attempt
            }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == 2)
            let tasks = try await RuntimeHarness.completedTaskRuns(client, of: outcome.flowRunID, count: 2)
            #expect(tasks.map(\.flowRunRunCount) == [1, 2])
        }
    }

    @Test(
        "a flow returns once its task-run events are written, without waiting for a server that does not answer pings; shutdown has them confirmed",
        arguments: ServerUnderTest.available.filter { $0 != .embedded })
    func flowEndDoesNotWaitForConfirmation(server: ServerUnderTest) async throws {
        let upstream = try IntegrationServer.url(for: server, forRuntime: true)
        let proxy = try await ConnectionCuttingProxy.start(upstream: upstream)
        var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
        settings.apiURL = proxy.url(for: upstream)
        settings.maxRetries = 8
        let step = PrefectTask("step") { (value: Int) in value + 1 }
        let flow = PrefectFlow(IntegrationServer.uniqueName("unconfirmed")) { (count: Int) -> Int in
            var total = 0
            for value in 0..<count { total += try await step(value) }
            return total
        }
        do {
            try await withPrefectClient(settings: settings) { client in
                var outcome: FlowRunOutcome<Int>?
                try await RuntimeHarness.withRuntime(client: client, configure: { $0.taskRunReporting = .events }) { runtime, _ in
                    _ = try await flow.run(1, runtime: runtime)
                    // The runtime's events socket is open; from now on its pings go unanswered
                    // (a pong is waited for up to the request timeout, 60 s).
                    proxy.holdWebsocketReplies()
                    let started = ContinuousClock.now
                    outcome = try await flow.runReturningOutcome(20, runtime: runtime)
                    let took = ContinuousClock.now - started
                    #expect(took < .seconds(15), "the flow took \(took)")
                    proxy.releaseWebsocketReplies()
                }
                let ended = try #require(outcome)
                #expect(try ended.get() == 210)
                let tasks = try await RuntimeHarness.completedTaskRuns(client, of: ended.flowRunID, count: 20)
                #expect(tasks.count == 20)
            }
        } catch {
            await proxy.stop()
            throw error
        }
        await proxy.stop()
    }
}
