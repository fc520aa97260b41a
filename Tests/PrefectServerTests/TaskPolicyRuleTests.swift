import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// Each rule of Prefect's core task policy, with Prefect 3.9.1's reasons.
@Suite("Task orchestration rules")
struct TaskPolicyRuleTests {
    let harness: OrchestrationHarness

    init() throws { harness = try OrchestrationHarness() }

    private func runningFlow() throws -> FlowRun { try harness.flowRun(.running()) }

    @Test("PreventRunningTasksFromStoppedFlows: tasks run only inside a running flow")
    func stoppedFlows() throws {
        defer { harness.close() }
        let pendingFlow = try harness.flowRun(.pending())
        let task = try harness.taskRun(.pending(), flowRunID: pendingFlow.id)
        let aborted = try harness.propose(.running(), to: task)
        #expect(aborted.status == .abort)
        #expect(aborted.reason == "The enclosing flow must be running to begin task execution.")

        let stateless = try harness.flowRun(nil)
        let orphan = try harness.taskRun(.pending(), flowRunID: stateless.id)
        #expect(try harness.propose(.running(), to: orphan).reason == "The enclosing flow must be running to begin task execution.")

        let paused = try harness.flowRun(.running())
        try harness.propose(.paused(until: Date().addingTimeInterval(60)), to: paused)
        let waiting = try harness.taskRun(.pending(), flowRunID: paused.id)
        let notReady = try harness.propose(.running(), to: waiting)
        #expect(notReady.status == .reject)
        #expect(notReady.state?.type == .paused)
        #expect(notReady.state?.name == "NotReady")
        #expect(notReady.reason == "The flow is paused, new tasks can execute after resuming flow run: \(paused.id.prefectString).")
    }

    @Test("RetryFailedTasks: delays from a list by attempt; retriable false fails at once")
    func retries() throws {
        defer { harness.close() }
        let flow = try runningFlow()
        let task = try harness.taskRun(.pending(), flowRunID: flow.id, retries: 2, retryDelay: [5, 20])
        try harness.propose(.running(), to: task)
        let first = try harness.propose(.failed(message: "oops"), to: task)
        #expect(first.status == .reject)
        #expect(first.reason == "Retrying")
        #expect(first.state?.name == "AwaitingRetry")
        let firstDelay = first.state?.stateDetails.scheduledTime?.timeIntervalSinceNow ?? 0
        #expect((3...5.5).contains(firstDelay))
        let rerun = try harness.propose(.running(), to: task, force: true)
        #expect(rerun.status == .accept)
        let second = try harness.propose(.failed(), to: task)
        let secondDelay = second.state?.stateDetails.scheduledTime?.timeIntervalSinceNow ?? 0
        #expect((18...20.5).contains(secondDelay), "the second attempt uses the second delay")

        let fatal = try harness.taskRun(.running(), flowRunID: flow.id, retries: 3)
        var notRetriable = State.failed()
        notRetriable.stateDetails.retriable = false
        #expect(try harness.propose(notRetriable, to: fatal).status == .accept)
    }

    @Test("RenameReruns: Retrying after AwaitingRetry, Rerunning otherwise")
    func renameReruns() throws {
        defer { harness.close() }
        let flow = try runningFlow()
        let task = try harness.taskRun(.pending(), flowRunID: flow.id, retries: 1)
        try harness.propose(.running(), to: task)
        try harness.propose(.failed(), to: task)
        let retrying = try harness.propose(.running(), to: task)
        #expect(retrying.status == .accept)
        #expect(retrying.state?.name == "Retrying")
        #expect(try harness.taskRun(id: task.id)?.runCount == 2)
    }

    @Test("HandleTaskTerminalStateTransitions: finished tasks cannot crash; reruns start from zero")
    func terminal() throws {
        defer { harness.close() }
        let flow = try runningFlow()
        let task = try harness.taskRun(.completed(), flowRunID: flow.id)
        let crash = try harness.propose(.crashed(), to: task)
        #expect(crash.status == .abort)
        #expect(crash.reason == "Run is already COMPLETED.")
        let (rerun, saved) = try harness.proposeTask(.running(), runID: task.id)
        #expect(rerun.status == .accept)
        #expect(saved.runCount == 1, "run_count reset to 0, then counted")

        let persisted = try harness.taskRun(State.completed().withData(["type": "reference"]), flowRunID: flow.id)
        let blocked = try harness.propose(.running(), to: persisted)
        #expect(blocked.status == .reject)
        #expect(blocked.reason == "This run is already completed.")
    }

    @Test("CacheInsertion and CacheRetrieval: a later run with the same key takes the cached state")
    func cache() throws {
        defer { harness.close() }
        let flow = try runningFlow()
        var completed = State.completed().withData(["type": "reference", "key": "k1"])
        completed.stateDetails.cacheKey = "cache-key-1"
        completed.stateDetails.cacheExpiration = Date().addingTimeInterval(3600)
        let first = try harness.taskRun(.running(), flowRunID: flow.id)
        #expect(try harness.propose(completed, to: first).status == .accept)

        let second = try harness.taskRun(.pending(), flowRunID: flow.id)
        var running = State.running()
        running.stateDetails.cacheKey = "cache-key-1"
        let cached = try harness.propose(running, to: second)
        #expect(cached.status == .reject)
        #expect(cached.reason == "Retrieved state from cache")
        #expect(cached.state?.type == .completed)
        #expect(cached.state?.name == "Cached")
        #expect(cached.state?.data == ["type": "reference", "key": "k1"])

        let third = try harness.taskRun(.pending(), flowRunID: flow.id)
        running.stateDetails.refreshCache = true
        #expect(try harness.propose(running, to: third).status == .accept, "refresh_cache runs the task")

        var expired = State.completed()
        expired.stateDetails.cacheKey = "cache-key-2"
        expired.stateDetails.cacheExpiration = Date().addingTimeInterval(-1)
        try harness.propose(expired, to: try harness.taskRun(.running(), flowRunID: flow.id))
        var wantsExpired = State.running()
        wantsExpired.stateDetails.cacheKey = "cache-key-2"
        #expect(try harness.propose(wantsExpired, to: try harness.taskRun(.pending(), flowRunID: flow.id)).status == .accept)
    }

    @Test("CacheInsertion refuses keys over 2,000 characters with the proposal itself")
    func cacheKeyTooLong() throws {
        defer { harness.close() }
        let flow = try runningFlow()
        var completed = State.completed()
        completed.stateDetails.cacheKey = String(repeating: "k", count: 2001)
        let result = try harness.propose(completed, to: try harness.taskRun(.running(), flowRunID: flow.id))
        #expect(result.status == .reject)
        #expect(result.state?.type == .completed)
        #expect(result.reason == "Cache key exceeded maximum allowed length of 2000 characters.")
    }

    @Test("UpdateFlowRunTrackerOnTasks and the Retrying name after a flow retry")
    func flowRunTracker() throws {
        defer { harness.close() }
        let flow = try runningFlow()
        let task = try harness.taskRun(.pending(), flowRunID: flow.id)
        try harness.propose(.running(), to: task)
        #expect(try harness.taskRun(id: task.id)?.flowRunRunCount == 1)
        try harness.propose(.completed(), to: task)
        try harness.propose(.failed(), to: flow, force: true)
        try harness.propose(.running(), to: flow, force: true)
        let again = try harness.propose(.running(), to: task)
        #expect(again.status == .accept)
        #expect(again.state?.name == "Retrying")
    }
}
