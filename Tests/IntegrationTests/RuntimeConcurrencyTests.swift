import Foundation
import Prefect
import PrefectClient
import Testing

@Suite("Runtime: concurrency, map, subflows and cancellation on every server")
struct RuntimeConcurrencyTests {
    @Test("map and async let run tasks at once; every run is recorded once", arguments: ServerUnderTest.withDistributed)
    func concurrentTasks(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let counter = CallCounter()
            let square = PrefectTask("square") { (value: Int) -> Int in
                await counter.enter()
                await counter.waitForCompany()
                await counter.leave()
                return value * value
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("concurrent")) { () -> [Int] in
                async let first = square(1_001)
                async let second = square(1_002)
                let mapped = try await square.map(Array(1...8), maxConcurrency: 4)
                return try await [first, second] + mapped
            }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == [1_002_001, 1_004_004] + (1...8).map { $0 * $0 })
            #expect(await counter.mostAtOnce >= 2, "tasks overlapped")
            #expect(await counter.mostAtOnce <= 6, "map kept to its limit of 4, beside the two async lets")
            let tasks = try await RuntimeHarness.taskRuns(client, of: outcome)
            #expect(tasks.count == 10)
            #expect(Set(tasks.map(\.dynamicKey)).count == 10)
            #expect(tasks.allSatisfy { $0.stateType == .completed })
        }
    }

    /// Not on Prefect 3.9.1's own server: on SQLite its SecureTaskConcurrencySlots opens a second
    /// write transaction inside the orchestration's and answers 503 after 60 s; Prefect's engine
    /// avoids the rule by reporting task states as events (the next test).
    @Test("tasks with a limited tag wait for its slot: one at a time, each recorded once",
          arguments: ServerUnderTest.withDistributed.filter { $0 != .prefect })
    func tagLimit(server: ServerUnderTest) async throws {
        try await tagLimitHolds(server, reporting: .rest)
    }

    @Test("reported as events, tasks with a limited tag take its slot in the process, as Prefect's engine: one at a time",
          arguments: ServerUnderTest.withDistributed)
    func tagLimitWithEvents(server: ServerUnderTest) async throws {
        try await tagLimitHolds(server, reporting: .events)
    }

    private func tagLimitHolds(_ server: ServerUnderTest, reporting: TaskRunReporting) async throws {
        try await RuntimeHarness.withRuntime(server, configure: { $0.taskRunReporting = reporting }) { runtime, client in
            let tag = IntegrationServer.uniqueName("one-at-a-time")
            _ = try await client.createConcurrencyLimit(tag: tag, concurrencyLimit: 1)
            let counter = CallCounter()
            let limited = PrefectTask("limited", tags: [tag]) { (value: Int) -> Int in
                await counter.enter()
                try await Task.sleep(for: .milliseconds(300))
                await counter.leave()
                return value
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("tag-limit")) { () -> [Int] in
                try await limited.map([1, 2, 3], maxConcurrency: 3)
            }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == [1, 2, 3])
            #expect(await counter.mostAtOnce == 1, "the tag's limit of 1 held")
            let tasks = try await RuntimeHarness.taskRuns(client, of: outcome)
            #expect(tasks.count == 3)
            #expect(tasks.allSatisfy { $0.stateType == .completed })
            #expect(try await client.readConcurrencyLimitByTag(tag).activeSlots.isEmpty, "every slot was given back")
            try await client.deleteConcurrencyLimitByTag(tag)
        }
    }

    @Test("a failing run of a map does not stop the others; the first failure is thrown", arguments: ServerUnderTest.withDistributed)
    func mapFailure(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let check = PrefectTask("check") { (value: Int) -> Int in
                if value == 2 { throw PlannedFailure(description: "two") }
                return value
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("map-failure")) { () -> [Int] in try await check.map([1, 2, 3]) }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            #expect((outcome.result.failureValue as? PlannedFailure)?.description == "two")
            let states = try await RuntimeHarness.taskRuns(client, of: outcome).map(\.stateType)
            #expect(states.sorted { $0?.rawValue ?? "" < $1?.rawValue ?? "" } == [.completed, .completed, .failed])
        }
    }

    @Test("a flow called in a flow is a subflow run linked by parent_task_run_id", arguments: ServerUnderTest.withDistributed)
    func subflow(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let childName = IntegrationServer.uniqueName("child")
            let child = PrefectFlow(childName) { (value: Int) -> Int in value + 1 }
            let parent = PrefectFlow(IntegrationServer.uniqueName("parent")) { () -> Int in
                RunContext.logger.info("calling the child")
                return try await child(41)
            }
            let outcome = try await parent.runReturningOutcome(runtime: runtime)
            #expect(try outcome.get() == 42)
            let tracking = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            #expect(tracking.taskKey == childName)
            let children = try await client.readFlowRuns(
                flowRunFilter: FlowRunFilter(parentTaskRunID: FlowRunFilterParentTaskRunId(any: [tracking.id])))
            let childRun = try #require(children.first)
            #expect(children.count == 1)
            #expect(childRun.parameters == ["input": 41])
            #expect(try await RuntimeHarness.flowRunStateNames(client, childRun.id) == ["Pending", "Running", "Completed"])
            #expect(try await client.readTaskRun(taskRunID: tracking.id).stateType == .completed, "the tracking task follows the subflow")
            #expect(outcome.taskRuns.map(\.id) == [tracking.id])
        }
    }

    @Test("cancelling the Swift task records Cancelling then Cancelled", arguments: ServerUnderTest.withDistributed)
    func clientCancellation(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let started = AsyncStream.makeStream(of: UUID.self)
            let wait = PrefectTask("wait") { (_: NoParameters) -> Int in
                if let id = RunContext.flowRunID { started.continuation.yield(id) }
                try await Task.sleep(for: .seconds(60))
                return 0
            }
            let flow = PrefectFlow(IntegrationServer.uniqueName("cancel-client")) { () -> Int in try await wait() }
            let running = Task { try await flow.runReturningOutcome(runtime: runtime) }
            var ids = started.stream.makeAsyncIterator()
            let flowRunID = try #require(await ids.next())
            running.cancel()
            let outcome = try await running.value
            #expect(outcome.result.failureValue is CancellationError)
            #expect(try await RuntimeHarness.flowRunStateNames(client, flowRunID) == ["Pending", "Running", "Cancelling", "Cancelled"])
            let task = try #require(try await RuntimeHarness.taskRuns(client, of: outcome).first)
            #expect(try await client.readTaskRun(taskRunID: task.id).stateType == .cancelled)
        }
    }

    @Test("the server moving the run to Cancelling cancels the body and records Cancelled", arguments: ServerUnderTest.withDistributed)
    func serverCancellation(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let started = AsyncStream.makeStream(of: UUID.self)
            let flow = PrefectFlow(IntegrationServer.uniqueName("cancel-server")) { () -> Int in
                if let id = RunContext.flowRunID { started.continuation.yield(id) }
                try await Task.sleep(for: .seconds(60))
                return 0
            }
            let running = Task { try await flow.runReturningOutcome(runtime: runtime) }
            var ids = started.stream.makeAsyncIterator()
            let flowRunID = try #require(await ids.next())
            let cancelling = try await client.setFlowRunState(flowRunID: flowRunID, state: .cancelling())
            #expect(cancelling.status == .accept)
            let outcome = try await running.value
            #expect((outcome.result.failureValue as? PrefectRunError)?.kind == .cancelled)
            #expect(outcome.state.type == .cancelled)
            #expect(try await RuntimeHarness.flowRunStateNames(client, flowRunID) == ["Pending", "Running", "Cancelling", "Cancelled"])
        }
    }
}
