import Foundation
import Logging
import PrefectClient
import Testing

@testable import Prefect

/// A runner, a worker or the engine that fetched a run while it was Scheduled and proposes
/// Pending only after another one ran it to the end: the server's rules accept that Pending
/// (a Completed state without a persisted result may be left), and the body must not run again.
@Suite("Runtime: a Pending proposed late does not run a finished run again, on every server")
struct LatePendingTests {
    /// A deployment's run, and the same run as a poll saw it before another worker took it
    /// through Pending, Running and Completed.
    private func finishedElsewhere(_ client: PrefectClient, flow: PrefectFlow<DeployedReport, String>) async throws -> FlowRun {
        let flowID = try await client.createFlow(name: flow.name)
        let deploymentID = try await client.createDeployment(flowID: flowID, name: "late-pending")
        let stale = try await client.createFlowRunFromDeployment(deploymentID: deploymentID, parameters: ["day": "d"])
        #expect(stale.state?.isScheduled == true)
        for state in [State.pending(), .running(), .completed()] {
            let answer = try await client.setFlowRunState(flowRunID: stale.id, state: state)
            #expect(answer.status == .accept)
        }
        return stale
    }

    @Test("the supervisor of serve and the worker, handed a stale poll: the run keeps its Completed state, the body never runs", arguments: ServerUnderTest.withDistributed)
    func supervisor(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { _, client in
            let calls = CallCounter()
            let flow = PrefectFlow("late-pending-\(UUID().uuidString.prefix(8))") { (input: DeployedReport) in input.day }
            let stale = try await finishedElsewhere(client, flow: flow)
            let supervisor = FlowRunSupervisor(
                name: "late-pending", logger: Logger(label: "late-pending"), shutdownMessage: "stopped", client: client,
                limit: nil, pollInterval: 1, due: { [stale] },
                launch: { _ in .inProcess { _ = await calls.next() } })
            await supervisor.run(once: true)

            #expect(await calls.calls == 0)
            #expect(
                try await RuntimeHarness.flowRunStateNames(client, stale.id)
                    == ["Scheduled", "Pending", "Running", "Completed", "Pending", "Completed"])
            #expect(try await client.readFlowRun(flowRunID: stale.id).state?.isCompleted == true)
        }
    }

    @Test("the engine handed the run as read before: it ends in the Completed state the run had, the body never runs", arguments: ServerUnderTest.withDistributed)
    func engine(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let calls = CallCounter()
            let flow = PrefectFlow("late-pending-\(UUID().uuidString.prefix(8))") { (input: DeployedReport) -> String in
                _ = await calls.next()
                return input.day
            }
            let stale = try await finishedElsewhere(client, flow: flow)
            let outcome = try await FlowRunEngine(flow: flow, runtime: runtime).run(existing: stale.id, read: stale)

            #expect(await calls.calls == 0)
            #expect(outcome.state.isCompleted)
            #expect(throws: (any Error).self) { try outcome.result.get() }
            #expect(
                try await RuntimeHarness.flowRunStateNames(client, stale.id)
                    == ["Scheduled", "Pending", "Running", "Completed", "Pending", "Completed"])
        }
    }
}
