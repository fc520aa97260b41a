import Foundation
import Prefect
import PrefectClient
import PrefectTestSupport
import Testing

@Suite("Serve: deployments served by PrefectRunner, on every server")
struct ServeTests {
    /// Waits up to `timeout` for `condition`, polling every 250 ms.
    private func eventually(_ timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await condition()
    }

    private func state(_ client: PrefectClient, _ id: UUID) async throws -> State? {
        try await client.readFlowRun(flowRunID: id).state
    }

    @Test(
        "in-process: a run made from the deployment with parameters completes with its task run; shutdown pauses it; a restart updates it, not a second one",
        arguments: ServerUnderTest.withDistributed)
    func inProcess(server: ServerUnderTest) async throws {
        try await RuntimeHarness.withRuntime(server) { runtime, client in
            let name = IntegrationServer.uniqueName("served")
            let task = PrefectTask("shout") { (text: String) in text.uppercased() }
            let flow = PrefectFlow(name) { (input: DeployedReport) in try await task("\(input.day) \(input.limit)") }
            let first = flow.deployment(name: "in-process", parameters: ["day": "monday"], description: "first")
            let serving = Task {
                try await PrefectRunner(deployments: [first], pollInterval: 0.3, execution: .inProcess, runtime: runtime).serve()
            }
            var deploymentID: UUID?
            #expect(try await eventually { deploymentID = try? await client.readDeploymentByName("\(name)/in-process").id; return deploymentID != nil })
            let id = try #require(deploymentID)

            let made = try await client.createFlowRunFromDeployment(deploymentID: id, parameters: ["limit": 3])
            #expect(made.parameters == ["day": "monday", "limit": 3], "the deployment's parameters under the run's")
            #expect(try await eventually { try await state(client, made.id)?.isFinal == true })
            #expect(try await state(client, made.id)?.isCompleted == true)
            #expect(try await RuntimeHarness.flowRunStateNames(client, made.id) == ["Scheduled", "Pending", "Running", "Completed"])
            let taskRuns = try await RuntimeHarness.completedTaskRuns(client, of: made.id, count: 1)
            #expect(taskRuns.map(\.taskKey) == ["shout"])

            serving.cancel()
            try await serving.value
            #expect(try await client.readDeployment(deploymentID: id).paused == true, "shutdown paused it")

            let second = flow.deployment(name: "in-process", parameters: ["day": "tuesday"], description: "second")
            let again = Task {
                try await PrefectRunner(deployments: [second], pollInterval: 0.3, execution: .inProcess, pauseOnShutdown: false, runtime: runtime).serve()
            }
            #expect(try await eventually { try await client.readDeployment(deploymentID: id).description == "second" })
            again.cancel()
            do {
                try await again.value
            } catch is CancellationError {
                // The server had stored the update, but the runner was still reading its answer
                // when it was cancelled: registering ends with the cancellation, as it should.
            }
            let flowID = try await client.readFlowRun(flowRunID: made.id).flowID
            let deployments = try await client.readDeployments(flowFilter: FlowFilter(id: FlowFilterId(any: [flowID])))
            #expect(deployments.map(\.id) == [id], "one deployment, updated")
            #expect(deployments.first?.parameters == ["day": "tuesday"])
            #expect(deployments.first?.paused == false, "a restart unpauses it")
        }
    }

    /// The networked servers: runs in processes of their own need the server's URL.
    static var networked: [ServerUnderTest] { ServerUnderTest.withDistributed.filter { $0 != .embedded } }

    @Test(
        "a process per run: scheduled runs complete; a crash, a SIGKILL and a cancellation end only their runs; SIGTERM cancels the rest and exits 0",
        arguments: networked)
    func processes(server: ServerUnderTest) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let apiURL = try IntegrationServer.url(for: server, forRuntime: true).absoluteString
        let runner = try ChildProcess(
            BuiltExecutable.url("prefect-test-flows"), arguments: ["serve", String(suffix)],
            environment: [
                "PREFECT_HOME": home.path, "PREFECT_API_URL": apiURL,
                "PREFECT_PROFILES_PATH": home.appendingPathComponent("none.toml").path,
                "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_CLIENT_MAX_RETRIES": "8",
            ])
        try await IntegrationServer.withClient(server, forRuntime: true) { client in
            var echoID: UUID?
            var sleepID: UUID?
            var crashID: UUID?
            let registered = try await eventually {
                echoID = try? await client.readDeploymentByName("served-echo-\(suffix)/echo").id
                sleepID = try? await client.readDeploymentByName("served-sleep-\(suffix)/sleep").id
                crashID = try? await client.readDeploymentByName("served-crash-\(suffix)/crash").id
                return echoID != nil && sleepID != nil && crashID != nil
            }
            try #require(registered, "the runner registered its deployments: \(runner.errorOutput)")
            let echo = try #require(echoID)

            // The server's scheduler makes the runs of the 5 s interval; the runner runs them.
            var completed: [FlowRun] = []
            let scheduledRan = try await eventually(.seconds(90)) {
                completed = try await client.readFlowRuns(
                    flowRunFilter: FlowRunFilter(
                        deploymentID: FlowRunFilterDeploymentId(any: [echo]),
                        state: FlowRunFilterState(type: FlowRunFilterStateType(any: [.completed]))))
                return completed.count >= 2
            }
            #expect(scheduledRan, "two scheduled runs completed: \(runner.errorOutput.suffix(3000))")
            if let run = completed.first {
                #expect(try await RuntimeHarness.flowRunStateNames(client, run.id) == ["Scheduled", "Pending", "Running", "Completed"])
                #expect(try await RuntimeHarness.completedTaskRuns(client, of: run.id, count: 1).map(\.taskKey) == ["greet"])
            }

            let crash = try await client.createFlowRunFromDeployment(deploymentID: try #require(crashID))
            #expect(try await eventually { try await state(client, crash.id)?.isFinal == true })
            let crashed = try await state(client, crash.id)
            #expect(crashed?.type == .crashed)
            #expect(crashed?.message == "Process exited with status code: 3. Process exited with an unexpected status code.")

            let sleep = try #require(sleepID)
            let killed = try await client.createFlowRunFromDeployment(deploymentID: sleep)
            let cancelled = try await client.createFlowRunFromDeployment(deploymentID: sleep)
            let leftRunning = try await client.createFlowRunFromDeployment(deploymentID: sleep)
            for run in [killed, cancelled, leftRunning] {
                #expect(try await eventually { try await state(client, run.id)?.isRunning == true }, "\(runner.errorOutput.suffix(3000))")
            }
            let pidLine = runner.errorOutput.split(separator: "\n").first { $0.contains("'\(killed.id.prefectString)' (pid ") }
            let pid = try #require(pidLine.flatMap { $0.split(separator: "(pid ").last?.split(separator: ")").first }.flatMap { Int32($0) })
            kill(pid, SIGKILL)
            #expect(try await eventually { try await state(client, killed.id)?.isFinal == true })
            let killedState = try await state(client, killed.id)
            #expect(killedState?.type == .crashed)
            #expect(killedState?.message?.hasPrefix("Process exited with status code: -9. Process exited due to a SIGKILL signal.") == true)

            _ = try await client.setFlowRunState(flowRunID: cancelled.id, state: .cancelling(), force: true)
            #expect(try await eventually { try await state(client, cancelled.id)?.isCancelled == true })
            #expect(try await state(client, leftRunning.id)?.isRunning == true, "the other runs go on")

            runner.send(SIGTERM)
            let status = try await runner.exitStatus(timeout: .seconds(60))
            #expect(status == 0, "\(runner.errorOutput.suffix(3000))")
            #expect(try await state(client, leftRunning.id)?.isCancelled == true)
            #expect(try await client.readDeployment(deploymentID: echo).paused == true)
        }
    }
}
