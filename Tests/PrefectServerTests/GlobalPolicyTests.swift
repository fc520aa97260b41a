import Foundation
import GRDB
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The bookkeeping of Prefect's global flow and task policies.
@Suite("Global orchestration bookkeeping")
struct GlobalPolicyTests {
    let harness: OrchestrationHarness

    init() throws { harness = try OrchestrationHarness() }

    @Test("state type, name, times, run count and total run time follow the states")
    func runFields() throws {
        defer { harness.close() }
        let scheduledTime = StoredTime.truncated(Date().addingTimeInterval(-10))
        let run = try harness.flowRun(.scheduled(at: scheduledTime))
        var saved = try #require(try harness.flowRun(id: run.id))
        #expect(saved.expectedStartTime == scheduledTime, "SetExpectedStartTime")
        #expect(saved.nextScheduledStartTime == scheduledTime, "SetNextScheduledStartTime")
        #expect(saved.estimatedStartTimeDelta >= 10)

        try harness.propose(.pending(), to: run)
        saved = try #require(try harness.flowRun(id: run.id))
        #expect(saved.nextScheduledStartTime == nil)
        #expect(saved.stateType == .pending)

        let running = try harness.propose(.running(), to: run)
        saved = try #require(try harness.flowRun(id: run.id))
        #expect(saved.startTime == running.state?.timestamp, "SetStartTime")
        #expect(saved.runCount == 1, "IncrementFlowRunCount")
        #expect(running.state?.stateDetails.flowRunID == run.id, "UpdateStateDetails")

        Thread.sleep(forTimeInterval: 0.05)
        let completed = try harness.propose(.completed(), to: run)
        saved = try #require(try harness.flowRun(id: run.id))
        #expect(saved.endTime == completed.state?.timestamp, "SetEndTime")
        #expect(saved.totalRunTime >= 0.05, "IncrementRunTime")
        #expect(saved.stateName == "Completed")
    }

    @Test("a final state without a start sets start_time too")
    func endWithoutStart() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.pending())
        let cancelled = try harness.propose(.cancelled(), to: run)
        let saved = try #require(try harness.flowRun(id: run.id))
        #expect(saved.startTime == cancelled.state?.timestamp)
        #expect(saved.endTime == cancelled.state?.timestamp)
    }

    @Test("EnsureFlowRunStateTimestampIsUnique moves a colliding timestamp by one microsecond")
    func uniqueTimestamps() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.pending())
        let stamp = StoredTime.truncated(Date())
        let result = try harness.database.pool.write { db in
            var first = State.running()
            first.timestamp = stamp
            _ = try FlowRunOrchestration.setState(db, flowRunID: run.id, state: first, force: true, now: stamp, apiVersion: nil)
            var second = State.completed()
            second.timestamp = stamp
            return try FlowRunOrchestration.setState(db, flowRunID: run.id, state: second, force: true, now: stamp, apiVersion: nil)
        }
        #expect(result?.result.state?.timestamp == StoredTime.date(StoredTime.micros(stamp) + 1))
    }

    @Test("UpdateSubflowStateDetails and UpdateSubflowParentTask: the parent task mirrors the subflow")
    func subflows() throws {
        defer { harness.close() }
        let parentFlow = try harness.flowRun(.running())
        let parentTask = try harness.taskRun(.pending(), flowRunID: parentFlow.id)
        let child = try harness.flowRun(.pending(), parentTaskRunID: parentTask.id)
        let running = try harness.propose(.running(), to: child)
        #expect(running.state?.stateDetails.taskRunID == parentTask.id)
        let task = try #require(try harness.taskRun(id: parentTask.id))
        #expect(task.stateType == .running)
        #expect(task.state?.stateDetails.childFlowRunID == child.id)
    }

    @Test("IncrementTaskRunCount counts task attempts")
    func taskRunCount() throws {
        defer { harness.close() }
        let flow = try harness.flowRun(.running())
        let task = try harness.taskRun(.pending(), flowRunID: flow.id)
        try harness.propose(.running(), to: task)
        #expect(try harness.taskRun(id: task.id)?.runCount == 1)
        #expect(try harness.taskRun(id: task.id)?.state?.stateDetails.taskRunID == task.id)
    }
}
