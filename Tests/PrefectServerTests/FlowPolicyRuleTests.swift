import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// Each rule of Prefect's core and minimal flow policies, with Prefect 3.9.1's reasons.
@Suite("Flow orchestration rules")
struct FlowPolicyRuleTests {
    let harness: OrchestrationHarness

    init() throws { harness = try OrchestrationHarness() }

    @Test("PreventDuplicateTransitions: the same transition_id twice keeps the current state")
    func preventDuplicateTransitions() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.pending())
        let transition = UUID()
        #expect(try harness.propose(State.running().withTransitionID(transition), to: run).status == .accept)
        let again = try harness.propose(State.running().withTransitionID(transition), to: run)
        #expect(again.status == .reject)
        #expect(again.reason == "This run has already made this state transition.")
        #expect(again.state?.type == .running)
        #expect(try harness.flowRun(id: run.id)?.runCount == 1, "the duplicate did not count as a run")
    }

    @Test("HandleFlowTerminalStateTransitions: finished runs cannot be cancelled, paused or crashed",
          arguments: [State.cancelling(), State.paused(), State.crashed()])
    func terminalAbort(proposal: State) throws {
        defer { harness.close() }
        let run = try harness.flowRun(.completed())
        let result = try harness.propose(proposal, to: run)
        #expect(result.status == .abort)
        #expect(result.reason == "Run is already in terminal state COMPLETED.")
    }

    @Test("HandleFlowTerminalStateTransitions: a persisted result is never lost")
    func terminalPersistedResult() throws {
        defer { harness.close() }
        let persisted: JSONValue = ["type": "reference", "storage_key": "abc"]
        let run = try harness.flowRun(State.completed().withData(persisted))
        let rerun = try harness.propose(.running(), to: run)
        #expect(rerun.status == .reject)
        #expect(rerun.reason == "Run is already COMPLETED.")
        let overwrite = try harness.propose(.completed(), to: run)
        #expect(overwrite.status == .reject)
        #expect(overwrite.reason == "Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.")
    }

    @Test("HandleFlowTerminalStateTransitions: no rescheduling without a deployment; a rerun resets the policy")
    func terminalRerun() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.failed())
        let scheduled = try harness.propose(.scheduled(), to: run)
        #expect(scheduled.status == .abort)
        #expect(scheduled.reason == "Cannot reschedule a run without an associated deployment.")
        let (rerun, saved) = try harness.proposeFlow(.running(), runID: run.id)
        #expect(rerun.status == .accept)
        #expect(saved.empiricalPolicy.retryType == nil)
        #expect(saved.empiricalPolicy.pauseKeys == [])
        #expect(saved.empiricalPolicy.resuming == false)
        #expect(saved.endTime == nil, "SetEndTime clears the end time when a run leaves a final state")
    }

    @Test("EnforceCancellingToCancelledTransition: cancelling runs only become Cancelled")
    func cancellingOnlyToCancelled() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.cancelling())
        let completed = try harness.propose(.completed(), to: run)
        #expect(completed.status == .reject)
        #expect(completed.reason == "Cannot transition flows that are cancelling to a state other than Cancelled.")
        #expect(try harness.propose(.cancelled(), to: run).status == .accept)
    }

    @Test("BypassCancellingFlowRunsWithNoInfra: cancelling a scheduled run without infrastructure cancels it")
    func bypassCancelling() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.scheduled(at: Date().addingTimeInterval(60)))
        let result = try harness.propose(.cancelling(), to: run)
        #expect(result.status == .reject)
        #expect(result.state?.type == .cancelled)
        #expect(result.reason == "Scheduled flow run has no infrastructure to terminate.")
        let withInfra = try harness.flowRun(.scheduled(at: Date().addingTimeInterval(60)), infrastructurePid: "123")
        #expect(try harness.propose(.cancelling(), to: withInfra).status == .accept)
    }

    @Test("BypassCancellingFlowRunsWithNoInfra also applies with force, to suspended runs")
    func bypassCancellingSuspendedForced() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.suspended())
        let result = try harness.propose(.cancelling(), to: run, force: true)
        #expect(result.status == .reject)
        #expect(result.state?.type == .cancelled)
        #expect(result.reason == "Suspended flow run has no infrastructure to terminate.")
    }

    @Test("PreventPendingTransitions: no way back to Pending, except a named Pending sub-state",
          arguments: [State.running(), State.cancelled()])
    func preventPending(initial: State) throws {
        defer { harness.close() }
        let run = try harness.flowRun(initial)
        let result = try harness.propose(.pending(), to: run)
        #expect(result.status == .abort)
        #expect(result.reason == "This run is in a \(initial.type.rawValue) state and cannot transition to a PENDING state.")
    }

    @Test("Cancelling → Pending meets EnforceCancellingToCancelledTransition first, as in Prefect")
    func cancellingToPending() throws {
        defer { harness.close() }
        let result = try harness.propose(.pending(), to: try harness.flowRun(.cancelling()))
        #expect(result.status == .reject)
        #expect(result.reason == "Cannot transition flows that are cancelling to a state other than Cancelled.")
    }

    @Test("PreventPendingTransitions: Pending → a named Pending keeps the scheduled time")
    func pendingSubState() throws {
        defer { harness.close() }
        let scheduledTime = StoredTime.truncated(Date().addingTimeInterval(-5))
        let run = try harness.flowRun(.scheduled(at: scheduledTime))
        #expect(try harness.propose(.pending(), to: run).status == .accept)
        let submitting = try harness.propose(State.make(.pending, name: "Submitting"), to: run)
        #expect(submitting.status == .accept)
        #expect(submitting.state?.stateDetails.scheduledTime == scheduledTime)
        #expect(try harness.propose(.pending(), to: run).status == .abort)
    }

    @Test("EnsureOnlyScheduledFlowsMarkedLate")
    func onlyScheduledMarkedLate() throws {
        defer { harness.close() }
        let pending = try harness.flowRun(.pending())
        let notScheduled = try harness.propose(.late(), to: pending)
        #expect(notScheduled.status == .reject)
        #expect(notScheduled.reason == "Only scheduled flows can be marked late.")
        let scheduled = try harness.flowRun(.scheduled(at: Date().addingTimeInterval(-60)))
        #expect(try harness.propose(.late(), to: scheduled).status == .accept)
        let twice = try harness.propose(.late(), to: scheduled)
        #expect(twice.status == .reject)
        #expect(twice.reason == "This flow run is already marked late.")
    }

    @Test("HandlePausingFlows: only running flows pause, each key once, suspensions need a deployment")
    func pausing() throws {
        defer { harness.close() }
        let pending = try harness.flowRun(.pending())
        let notRunning = try harness.propose(.paused(), to: pending)
        #expect(notRunning.status == .reject)
        #expect(notRunning.reason == "Cannot pause flows that are not currently running.")

        let run = try harness.flowRun(.running())
        #expect(try harness.propose(.paused(pauseKey: "approval"), to: run).status == .accept)
        #expect(try harness.flowRun(id: run.id)?.empiricalPolicy.pauseKeys == ["approval"])
        #expect(try harness.propose(.running(), to: run).status == .accept)
        let again = try harness.propose(.paused(pauseKey: "approval"), to: run)
        #expect(again.status == .reject)
        #expect(again.reason == "This pause has already fired.")

        let suspend = try harness.propose(.suspended(pauseKey: "other"), to: run)
        #expect(suspend.status == .abort)
        #expect(suspend.reason == "Cannot suspend flows without a deployment.")
        let subflow = try harness.flowRun(.running(), parentTaskRunID: UUID(), deploymentID: UUID())
        let subflowSuspend = try harness.propose(.suspended(), to: subflow)
        #expect(subflowSuspend.reason == "Cannot suspend subflows.")
    }

    @Test("HandleResumingPausedFlows: resuming marks the run, an expired pause fails it, Pending is refused")
    func resuming() throws {
        defer { harness.close() }
        let refused = try harness.flowRun(.running())
        #expect(try harness.propose(.paused(until: Date().addingTimeInterval(600)), to: refused).status == .accept)
        let toPending = try harness.propose(.pending(), to: refused)
        #expect(toPending.status == .reject)
        #expect(toPending.reason == "This run cannot transition to the StateType.PENDING state from the StateType.PAUSED state.")
        #expect(try harness.flowRun(id: refused.id)?.empiricalPolicy.resuming == true, "the rejecting rule's after hook ran")

        let run = try harness.flowRun(.running())
        #expect(try harness.propose(.paused(until: Date().addingTimeInterval(600)), to: run).status == .accept)
        let (resumed, saved) = try harness.proposeFlow(.running(), runID: run.id)
        #expect(resumed.status == .accept)
        #expect(saved.runCount == 2, "as in Prefect 3.9.1: resuming is set only after this transition")
        #expect(saved.empiricalPolicy.resuming == true)
        #expect(try harness.propose(.completed(), to: run).status == .accept)
        #expect(try harness.flowRun(id: run.id)?.empiricalPolicy.resuming == false, "RemoveResumingIndicator")

        let expired = try harness.flowRun(.running())
        #expect(try harness.propose(.paused(until: Date().addingTimeInterval(-1)), to: expired).status == .accept)
        let late = try harness.propose(.running(), to: expired)
        #expect(late.status == .reject)
        #expect(late.state?.type == .failed)
        #expect(late.state?.message == "The flow was running and never resumed.")
        #expect(late.reason == "The flow run pause has timed out and can no longer resume.")
    }

    @Test("CopyScheduledTime and WaitForScheduledTime")
    func scheduledTime() throws {
        defer { harness.close() }
        let future = StoredTime.truncated(Date().addingTimeInterval(30))
        let run = try harness.flowRun(.scheduled(at: future))
        let pending = try harness.propose(.pending(), to: run)
        #expect(pending.state?.stateDetails.scheduledTime == future)
        let running = try harness.propose(.running(), to: run)
        #expect(running.status == .wait)
        #expect(running.reason == "Scheduled time is in the future")
        guard case .wait(let details) = running.details else {
            Issue.record("expected wait details")
            return
        }
        #expect((29...30).contains(details.delaySeconds))
    }

    @Test("WaitForScheduledTime rounds as Prefect does", arguments: [
        (Int64(5_700_000), 6), (Int64(5_400_000), 5), (Int64(5_500_000), 5), (Int64(4_500_000), 4), (Int64(-300_000), 0),
        (Int64(-1_700_000), -2),
    ])
    func waitRounding(micros: Int64, expected: Int) {
        #expect(WaitForScheduledTime<FlowRun>.delaySeconds(micros) == expected)
        harness.close()
    }

    @Test("RetryFailedFlows: AwaitingRetry while retries remain, then Failed")
    func retryFailedFlows() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.pending(), retries: 1, retryDelay: 10)
        #expect(try harness.propose(.running(), to: run).status == .accept)
        let failed = try harness.propose(.failed(message: "boom"), to: run)
        #expect(failed.status == .reject)
        #expect(failed.reason == "Retrying")
        #expect(failed.state?.name == "AwaitingRetry")
        #expect(failed.state?.message == "boom")
        let delay = failed.state?.stateDetails.scheduledTime.map { $0.timeIntervalSinceNow } ?? 0
        #expect((8...10.5).contains(delay))
        #expect(try harness.flowRun(id: run.id)?.empiricalPolicy.retryType == "in_process")
        let forced = try harness.propose(.running(), to: run, force: true)
        #expect(forced.status == .accept)
        let finalFailure = try harness.propose(.failed(), to: run)
        #expect(finalFailure.status == .accept, "run_count 2 > retries 1")
        #expect(try harness.flowRun(id: run.id)?.empiricalPolicy.retryType == nil)
    }

    @Test("force uses the minimal policy: Running → Pending is accepted")
    func forceSkipsCoreRules() throws {
        defer { harness.close() }
        let run = try harness.flowRun(.running())
        #expect(try harness.propose(.pending(), to: run, force: true).status == .accept)
    }

    @Test("PreventResultDataLoss applies with force")
    func preventResultDataLoss() throws {
        defer { harness.close() }
        let run = try harness.flowRun(State.completed().withData(["type": "reference"]))
        let result = try harness.propose(.completed(), to: run, force: true)
        #expect(result.status == .reject)
        #expect(result.reason == "Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.")
    }

    @Test("PreserveDeploymentConcurrencyLeaseId copies the lease id onto the next state")
    func preserveLeaseID() throws {
        defer { harness.close() }
        var pending = State.pending()
        let lease = UUID()
        pending.stateDetails.deploymentConcurrencyLeaseID = lease
        let run = try harness.flowRun(pending)
        let running = try harness.propose(.running(), to: run)
        #expect(running.state?.stateDetails.deploymentConcurrencyLeaseID == lease)
    }
}
