import Foundation
import Prefect
import PrefectClient
import Testing

@Suite("Runtime: flow and task run states on every server")
struct RuntimeStateTests {
    struct Day: Codable, Sendable, Equatable {
        let day: String
        let limit: Int
    }

    @Test("a flow with two tasks: states, parameters, task inputs, tags and version as recorded", arguments: ServerUnderTest.withDistributed)
    func success(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let double = PrefectTask("double", tags: ["math"], version: "2") { (values: [Int]) in values.map { $0 * 2 } }
            let total = PrefectTask("total") { (values: [Int]) in values.reduce(0, +) }
            let flow = PrefectFlow(IntegrationServer.uniqueName("states-ok"), tags: ["nightly"], version: "1.2") {
                (input: Day) -> Int in
                let doubled = try await double(Array(1...input.limit).map { $0 * 1_000 })
                return try await total(doubled)
            }
            let outcome = try await flow.runReturningOutcome(Day(day: "2026-12-01", limit: 3), runtime: runtime)
            #expect(try outcome.get() == 12_000)
            #expect(outcome.state.type == .completed)
            #expect(try await RuntimeHarness.flowRunStateNames(client, outcome.flowRunID) == ["Pending", "Running", "Completed"])

            let run = try await client.readFlowRun(flowRunID: outcome.flowRunID)
            #expect(run.parameters == ["day": "2026-12-01", "limit": 3])
            #expect(run.tags == ["nightly"])
            #expect(run.flowVersion == "1.2")
            #expect(run.runCount == 1)
            #expect(try await client.readFlow(flowID: run.flowID).name == flow.name)

            let tasks = try await RuntimeHarness.taskRuns(client, of: outcome)
            #expect(tasks.count == 2)
            let first = try #require(tasks.first { $0.taskKey == "double" })
            let second = try #require(tasks.first { $0.taskKey == "total" })
            #expect(first.name.hasPrefix("double-"))
            #expect(first.tags == ["math"])
            #expect(first.taskVersion == "2")
            #expect(first.flowRunID == outcome.flowRunID)
            #expect(first.taskInputs["input"] == [])
            #expect(second.taskInputs["input"] == [.taskRun(TaskRunResult(id: first.id))], "the result of double fed total")
            for task in tasks {
                try await RuntimeHarness.expectTaskRunStates(client, task.id, ["Pending", "Running", "Completed"])
            }
            #expect(Set(outcome.taskRuns.map(\.id)) == Set(tasks.map(\.id)))
        }
    }

    @Test("a failing flow records Failed with the error's message and throws it", arguments: ServerUnderTest.withDistributed)
    func failure(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let fails = PrefectTask("fails") { (_: Int) -> Int in throw PlannedFailure(description: "disk full") }
            let flow = PrefectFlow(IntegrationServer.uniqueName("states-fail")) { () -> Int in try await fails(7) }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(throws: PlannedFailure.self) { try outcome.get() }
            #expect(try await RuntimeHarness.flowRunStateNames(client, outcome.flowRunID) == ["Pending", "Running", "Failed"])
            #expect(outcome.state.message == "Flow run encountered an exception: PlannedFailure: disk full")
            let task = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            try await RuntimeHarness.expectTaskRunStates(client, task.id, ["Pending", "Running", "Failed"])
            #expect(try await client.readTaskRun(taskRunID: task.id).state?.message
                == "Task run encountered an exception PlannedFailure: disk full")
            await #expect(throws: PlannedFailure.self) { try await flow.run(runtime: runtime) }
        }
    }

    @Test("a task that fails twice and then succeeds: AwaitingRetry and Retrying, as Prefect's engine", arguments: ServerUnderTest.withDistributed)
    func taskRetries(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let counter = CallCounter()
            let flaky = PrefectTask("flaky", retries: 3, retryDelaySeconds: [0, 0.2]) { (_: NoParameters) -> String in
                if await counter.next() < 3 { throw PlannedFailure(description: "not yet") }
                return "done"
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("task-retry")) { () -> String in try await flaky() }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == "done")
            let task = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            let retried = ["Pending", "Running", "AwaitingRetry", "Retrying", "AwaitingRetry", "Retrying", "Completed"]
            try await RuntimeHarness.expectTaskRunStates(client, task.id, retried)
            #expect(task.empiricalPolicy.retries == 3)
            #expect(numbers(task.empiricalPolicy.retryDelay) == [0, 0.2])
            #expect(outcome.taskRuns.first?.attempts == 3)
            #expect(try await client.readTaskRun(taskRunID: task.id).runCount == 3)
        }
    }

    @Test("a task whose retries run out ends Failed and the error reaches the flow", arguments: ServerUnderTest.withDistributed)
    func retriesExhausted(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let never = PrefectTask("never", retries: 1) { (_: NoParameters) -> Int in throw PlannedFailure(description: "no") }
            let flow = PrefectFlow(IntegrationServer.uniqueName("task-exhausted")) { () -> Int in try await never() }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(outcome.state.type == .failed)
            let task = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            try await RuntimeHarness.expectTaskRunStates(client, task.id, ["Pending", "Running", "Retrying", "Failed"])
        }
    }

    @Test("a flow with retries: Failed becomes AwaitingRetry on the server, the body runs again", arguments: ServerUnderTest.withDistributed)
    func flowRetries(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let counter = CallCounter()
            let flow = PrefectFlow(IntegrationServer.uniqueName("flow-retry"), retries: 1, retryDelaySeconds: 1) { () -> Int in
                let call = await counter.next()
                if call == 1 { throw PlannedFailure(description: "first attempt") }
                return call
            }
            let started = ContinuousClock.now
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == 2)
            #expect(ContinuousClock.now - started >= .milliseconds(900), "the server made the retry wait its delay")
            #expect(try await RuntimeHarness.flowRunStateNames(client, outcome.flowRunID)
                == ["Pending", "Running", "AwaitingRetry", "Running", "Completed"])
            let run = try await client.readFlowRun(flowRunID: outcome.flowRunID)
            #expect(run.runCount == 2)
            #expect(run.empiricalPolicy.retries == 1)
            #expect(outcome.attempts == 2)
        }
    }

    @Test("timeouts end the body and record TimedOut, for tasks and flows", arguments: ServerUnderTest.withDistributed)
    func timeouts(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let taskBody = BodyStopwatch()
            let slow = PrefectTask("slow", timeoutSeconds: 0.2) { (_: NoParameters) -> Int in
                try await taskBody.time {
                    try await Task.sleep(for: .seconds(120))
                    return 1
                }
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("task-timeout")) { () -> Int in try await slow() }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            let taskRan = try #require(taskBody.measured)
            #expect(taskRan < .seconds(10), "the 120 s body was cut after 0.2 s, not \(taskRan)")
            let error = try #require(outcome.result.failureValue as? PrefectRunError)
            #expect(error.kind == .timedOut)
            let task = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            try await RuntimeHarness.expectTaskRunStates(client, task.id, ["Pending", "Running", "TimedOut"])
            #expect(try await client.readTaskRun(taskRunID: task.id).state?.message == "Task run exceeded timeout of 0.2 second(s)")
            #expect(try await RuntimeHarness.flowRunStateNames(client, outcome.flowRunID) == ["Pending", "Running", "Failed"])

            let flowBody = BodyStopwatch()
            let slowFlow = PrefectFlow(IntegrationServer.uniqueName("flow-timeout"), timeoutSeconds: 0.3) { () -> Int in
                try await flowBody.time {
                    try await Task.sleep(for: .seconds(120))
                    return 1
                }
            }
            let timedOut = try await slowFlow.runReturningOutcome(runtime: runtime)
            let flowRan = try #require(flowBody.measured)
            #expect(flowRan < .seconds(10), "the 120 s flow body was cut after 0.3 s, not \(flowRan)")
            #expect((timedOut.result.failureValue as? PrefectRunError)?.kind == .timedOut)
            #expect(try await RuntimeHarness.flowRunStateNames(client, timedOut.flowRunID) == ["Pending", "Running", "TimedOut"])
            #expect(timedOut.state.type == .failed)
            #expect(timedOut.state.message == "Flow run exceeded timeout of 0.3 second(s)")
        }
    }
}

/// The numbers of a JSON number or list of numbers (servers may write `0` as `0.0`).
func numbers(_ value: JSONValue?) -> [Double] {
    switch value {
    case .int(let number): [Double(number)]
    case .double(let number): [number]
    case .array(let values): values.flatMap { numbers($0) }
    default: []
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
