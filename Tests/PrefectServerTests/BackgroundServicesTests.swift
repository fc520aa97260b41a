import Foundation
import Logging
import PrefectClient
@testable import PrefectServer
import ServiceLifecycle
import Testing

/// The late-runs and pause-expiration services, on their own short clock, on a real database.
@Suite("Background services: late runs and pause expirations")
struct BackgroundServicesTests {
    @Test("a pass marks Scheduled runs past the grace period Late at their time, and nothing else")
    func lateRunsPass() async throws {
        try await withTestApp { app, client in
            // A grace period of an hour, so a slow machine cannot move a run across it mid-test.
            let grace: TimeInterval = 3600
            let flowID = try await client.createFlowFromName("late-runs")
            let past = Date().addingTimeInterval(-2 * grace)
            let due = try await client.createFlowRun(flowID: flowID, state: .scheduled(at: past))
            let recent = try await client.createFlowRun(flowID: flowID, state: .scheduled(at: Date().addingTimeInterval(-60)))
            let future = try await client.createFlowRun(flowID: flowID, state: .scheduled(at: Date().addingTimeInterval(grace)))
            let retrying = try await client.createFlowRun(flowID: flowID, state: .awaitingRetry(at: past))
            let running = try await client.createFlowRun(flowID: flowID, state: .running())

            #expect(try await LateRuns.pass(app.database, afterSeconds: grace, now: Date()) == 1)
            let late = try await client.readFlowRun(flowRunID: due.id)
            #expect(late.stateType == .scheduled)
            #expect(late.stateName == "Late")
            let lateTime = try #require(late.state?.stateDetails.scheduledTime)
            #expect(abs(lateTime.timeIntervalSince(past)) < 0.001, "Late keeps the scheduled time")
            for run in [recent, future, retrying, running] {
                #expect(try await client.readFlowRun(flowRunID: run.id).stateName == run.stateName)
            }
            #expect(try await LateRuns.pass(app.database, afterSeconds: grace, now: Date()) == 0, "a Late run is not marked again")
            let states = try await client.readFlowRunStates(flowRunID: due.id)
            #expect(states.map(\.name) == ["Scheduled", "Late"])
        }
    }

    @Test("a pass fails Paused runs whose pause timed out, with Prefect's message")
    func pauseExpirationsPass() async throws {
        try await withTestApp { app, client in
            let flowID = try await client.createFlowFromName("pauses")
            let expired = try await client.createFlowRun(flowID: flowID, state: .running())
            let waiting = try await client.createFlowRun(flowID: flowID, state: .running())
            var soon = StateDetails()
            soon.pauseTimeout = Date().addingTimeInterval(0.2)
            _ = try await client.setFlowRunState(flowRunID: expired.id, state: .make(.paused, stateDetails: soon))
            var later = StateDetails()
            later.pauseTimeout = Date().addingTimeInterval(3600)
            _ = try await client.setFlowRunState(flowRunID: waiting.id, state: .make(.paused, stateDetails: later))

            try await Task.sleep(for: .milliseconds(300))
            #expect(try await PauseExpirations.pass(app.database, now: Date()) == 1)
            let failed = try await client.readFlowRun(flowRunID: expired.id)
            #expect(failed.stateType == .failed)
            #expect(failed.state?.message == "The flow was paused and never resumed.")
            #expect(try await client.readFlowRun(flowRunID: waiting.id).stateType == .paused)
        }
    }

    @Test("running as services: a due run turns Late and an expired pause Failed on their own, and they stop on shutdown")
    func asServices() async throws {
        try await withTestApp { app, client in
            let flowID = try await client.createFlowFromName("services")
            let due = try await client.createFlowRun(flowID: flowID, state: .scheduled(at: Date().addingTimeInterval(-2)))
            let paused = try await client.createFlowRun(flowID: flowID, state: .running())
            var details = StateDetails()
            details.pauseTimeout = Date().addingTimeInterval(0.5)
            _ = try await client.setFlowRunState(flowRunID: paused.id, state: .make(.paused, stateDetails: details))

            let services = PrefectServerServices(
                lateRuns: .init(loopSeconds: 0.05, afterSeconds: 1), pauseExpirations: .init(loopSeconds: 0.05))
            let group = ServiceGroup(configuration: .init(services: app.backgroundServices(services), logger: Logger(label: "test")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let deadline = ContinuousClock.now + .seconds(20)
                var lateName: String?
                var pausedType: StateType?
                while ContinuousClock.now < deadline {
                    lateName = try await client.readFlowRun(flowRunID: due.id).stateName
                    pausedType = try await client.readFlowRun(flowRunID: paused.id).stateType
                    if lateName == "Late", pausedType == .failed { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(lateName == "Late")
                #expect(pausedType == .failed)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(PrefectServerServices.none.lateRuns.enabled == false)
            #expect(app.backgroundServices(.none).isEmpty)
        }
    }

    @Test("cancellation clean-up: a cancelled flow's task runs and subflows are cancelled, a stuck Cancelling run times out")
    func cancellationCleanupPass() async throws {
        try await withTestApp { app, client in
            let flowID = try await client.createFlowFromName("cleanup")
            let parent = try await client.createFlowRun(flowID: flowID, state: .running())
            let task = try await client.createTaskRun(taskKey: "work", flowRunID: parent.id, dynamicKey: "0", state: .running())
            let done = try await client.createTaskRun(taskKey: "done", flowRunID: parent.id, dynamicKey: "0", state: .completed())
            let tracker = try await client.createTaskRun(taskKey: "sub", flowRunID: parent.id, dynamicKey: "1", state: .running())
            let subflow = try await client.createFlowRun(flowID: flowID, parentTaskRunID: tracker.id, state: .running())
            let other = try await client.createFlowRun(flowID: flowID, state: .running())
            let otherTracker = try await client.createTaskRun(taskKey: "sub", flowRunID: other.id, dynamicKey: "0", state: .running())
            let livingSubflow = try await client.createFlowRun(flowID: flowID, parentTaskRunID: otherTracker.id, state: .running())
            _ = try await client.setFlowRunState(flowRunID: parent.id, state: .make(.cancelled), force: true)

            let stuck = try await client.createFlowRun(flowID: flowID, state: .running())
            _ = try await client.setFlowRunState(flowRunID: stuck.id, state: .make(.cancelling))
            try await Task.sleep(for: .milliseconds(300))
            let fresh = try await client.createFlowRun(flowID: flowID, state: .running())
            _ = try await client.setFlowRunState(flowRunID: fresh.id, state: .make(.cancelling))
            // The pass runs "as of" the fresh run's Cancelling: the stuck one has been Cancelling
            // for at least the 300 ms slept, the fresh one for none, however slow the machine.
            let asOf = try #require(try await client.readFlowRun(flowRunID: fresh.id).state?.timestamp)

            try await CancellationCleanup.pass(app.database, cancellingTimeout: 0.2, now: asOf)
            let cancelledTask = try await client.readTaskRun(taskRunID: task.id)
            #expect(cancelledTask.stateType == .cancelled)
            #expect(cancelledTask.state?.message == "The parent flow run was cancelled.")
            #expect(try await client.readTaskRun(taskRunID: done.id).stateType == .completed, "finished task runs stay")
            let cancelledSubflow = try await client.readFlowRun(flowRunID: subflow.id)
            #expect(cancelledSubflow.stateType == .cancelled)
            #expect(cancelledSubflow.state?.message == "The parent flow run was cancelled.")
            #expect(try await client.readFlowRun(flowRunID: livingSubflow.id).stateType == .running, "its parent runs on")
            let timedOut = try await client.readFlowRun(flowRunID: stuck.id)
            #expect(timedOut.stateType == .cancelled)
            #expect(timedOut.state?.message == "Flow run cancellation timed out; marked this flow run as Cancelled.")
            #expect(try await client.readFlowRun(flowRunID: fresh.id).stateType == .cancelling)
        }
    }

    @Test("the settings name Prefect's, with its defaults")
    func settings() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString)").path
        let defaults = try PrefectServerServices.load(environment: ["PREFECT_HOME": home])
        #expect(defaults.lateRuns.enabled && defaults.lateRuns.loopSeconds == 5 && defaults.lateRuns.afterSeconds == 15)
        #expect(defaults.pauseExpirations.enabled && defaults.pauseExpirations.loopSeconds == 5)
        let set = try PrefectServerServices.load(environment: [
            "PREFECT_HOME": home, "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
            "PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS": "60", "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS": "1",
        ])
        #expect(!set.lateRuns.enabled && set.lateRuns.afterSeconds == 60 && set.pauseExpirations.loopSeconds == 1)
        #expect(defaults.cancellationCleanup.loopSeconds == 20 && defaults.cancellationCleanup.cancellingTimeoutSeconds == 300)
    }
}
