import Foundation
import Prefect
import PrefectClient
import Testing

/// The input of the flows these tests run from deployments.
struct DeployedReport: Codable, Sendable, ParameterDefaults {
    enum Format: String, Codable, Sendable, CaseIterable { case csv, json }
    var day: String
    var limit: Int
    var format: Format?
    static var parameterDefaults: JSONObject { ["limit": 10] }
}

@Suite("Runtime: running flow runs made elsewhere, on every server")
struct RuntimeExistingRunTests {
    /// A flow, a deployment of it carrying the flow's parameter schema, and its name.
    private func deployment(
        _ client: PrefectClient, flow: PrefectFlow<DeployedReport, String>, enforce: Bool = false
    ) async throws -> UUID {
        let flowID = try await client.createFlow(name: flow.name)
        return try await client.createDeployment(
            flowID: flowID, name: "deployed", parameterOpenapiSchema: flow.parameterSchema, enforceParameterSchema: enforce)
    }

    @Test(
        "a deployment's run: parameters decoded (defaults filled), Scheduled then Pending, Running, Completed; the flow's retries and version recorded",
        arguments: ServerUnderTest.withDistributed)
    func deploymentRun(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let flow = PrefectFlow("existing-\(UUID().uuidString.prefix(8))", retries: 2, retryDelaySeconds: 1, version: "7") {
                (input: DeployedReport) in "\(input.day) \(input.limit) \(input.format?.rawValue ?? "-")"
            }
            let deploymentID = try await deployment(client, flow: flow)
            let made = try await client.createFlowRunFromDeployment(deploymentID: deploymentID, parameters: ["day": "2026-12-01", "format": "csv"])
            #expect(made.state?.isScheduled == true)

            let outcome = try await flow.run(flowRunID: made.id, runtime: runtime)
            #expect(try outcome.result.get() == "2026-12-01 10 csv")
            #expect(outcome.flowRunID == made.id)
            #expect(try await RuntimeHarness.flowRunStateNames(client, made.id) == ["Scheduled", "Pending", "Running", "Completed"])
            let read = try await client.readFlowRun(flowRunID: made.id)
            #expect(read.empiricalPolicy.retries == 2)
            #expect(read.empiricalPolicy.retryDelay == 1)
            #expect(read.flowVersion == "7")
            #expect(read.parameters == ["day": "2026-12-01", "format": "csv"], "the run's parameters as they were made")
        }
    }

    @Test(
        "a run already Pending (a worker proposed it) goes straight to Running; a Failed body with retries runs again",
        arguments: ServerUnderTest.withDistributed)
    func pendingRunWithRetry(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let calls = CallCounter()
            let flow = PrefectFlow("existing-retry-\(UUID().uuidString.prefix(8))", retries: 1) { (input: DeployedReport) in
                if await calls.next() == 1 { throw PlannedFailure(description: "first attempt") }
                return input.day
            }
            let deploymentID = try await deployment(client, flow: flow)
            let made = try await client.createFlowRunFromDeployment(deploymentID: deploymentID, parameters: ["day": "d"])
            _ = try await client.setFlowRunState(flowRunID: made.id, state: .pending())

            let outcome = try await flow.run(flowRunID: made.id, runtime: runtime)
            #expect(try outcome.result.get() == "d")
            #expect(outcome.attempts == 2)
            #expect(
                try await RuntimeHarness.flowRunStateNames(client, made.id)
                    == ["Scheduled", "Pending", "Running", "AwaitingRetry", "Running", "Completed"])
        }
    }

    @Test(
        "parameters that do not fit end the run Failed, naming each parameter and the type expected; the body never runs",
        arguments: ServerUnderTest.withDistributed)
    func badParameters(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let calls = CallCounter()
            let flow = PrefectFlow("existing-bad-\(UUID().uuidString.prefix(8))") { (input: DeployedReport) in
                _ = await calls.next()
                return input.day
            }
            let deploymentID = try await deployment(client, flow: flow)
            for (parameters, parameter, words) in [
                (["day": 5, "limit": 1] as JSONObject, "day", "Expected String but found number 5"),
                (["limit": 1], "day", "Field required"),
                (["day": "d", "limit": "ten"], "limit", "Expected Int but found string \"ten\""),
                (["day": "d", "format": "xml"], "format", "Cannot initialize Format from invalid String value xml"),
            ] {
                let made = try await client.createFlowRunFromDeployment(deploymentID: deploymentID, parameters: parameters)
                let outcome = try await flow.run(flowRunID: made.id, runtime: runtime)
                #expect(outcome.state.isFailed)
                let message = outcome.state.message ?? ""
                #expect(
                    message == "Validation of flow parameters failed with error: ParameterTypeError: Flow run received invalid parameters:\n - \(parameter): \(words)",
                    "\(message)")
                #expect(throws: ParameterTypeError.self) { try outcome.result.get() }
                #expect(try await RuntimeHarness.flowRunStateNames(client, made.id) == ["Scheduled", "Failed"])
            }
            #expect(await calls.calls == 0)
        }
    }

    @Test(
        "a running flow sends prefect.flow-run.heartbeat events: one when its body starts, then one per interval",
        arguments: ServerUnderTest.withDistributed)
    func heartbeats(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server, configure: { $0.heartbeatFrequency = 1 }) { runtime, client in
            let flow = PrefectFlow("heartbeats-\(UUID().uuidString.prefix(8))", tags: ["beating"]) { () -> Int in
                try await Task.sleep(for: .milliseconds(3_500))
                return 1
            }
            let outcome = try await flow.runReturningOutcome(runtime: runtime)
            let resource = "prefect.flow-run.\(outcome.flowRunID.prefectString)"
            var events: [ReceivedEvent] = []
            for _ in 0..<40 {
                events = try await client.readEvents(
                    filter: EventFilter(event: .init(name: ["prefect.flow-run.heartbeat"]), resource: .init(id: [resource]))
                ).events
                if events.count >= 2 { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            // One at the start, one or more a second later (a loaded machine sends fewer than four).
            #expect((2...5).contains(events.count), "\(events.count) heartbeats in 3.5 s at one a second")
            let first = try #require(events.first)
            #expect(first.resource.labels["prefect.resource.name"] == outcome.flowRunName)
            #expect(first.resource.labels["prefect.version"] == "3.9.1")
            #expect(first.related.map(\.id).sorted() == ["prefect.flow.\(try await client.readFlowRun(flowRunID: outcome.flowRunID).flowID.prefectString)", "prefect.tag.beating"].sorted())
        }
    }

    @Test(
        "a deployment enforcing the flow's parameter schema: the server takes fitting parameters and refuses the rest",
        arguments: ServerUnderTest.withDistributed)
    func enforcedSchema(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { _, client in
            let flow = PrefectFlow("existing-enforced-\(UUID().uuidString.prefix(8))") { (input: DeployedReport) in input.day }
            let deploymentID = try await deployment(client, flow: flow, enforce: true)
            let fitting = try await client.createFlowRunFromDeployment(deploymentID: deploymentID, parameters: ["day": "d", "format": "json"])
            #expect(fitting.parameters["day"] == "d")
            for parameters: JSONObject in [["day": 5], ["limit": 3], ["day": "d", "format": "xml"]] {
                let error = await #expect(throws: PrefectHTTPStatusError.self) {
                    try await client.createFlowRunFromDeployment(deploymentID: deploymentID, parameters: parameters)
                }
                #expect(error?.statusCode == 409, "\(parameters)")
            }
        }
    }
}
