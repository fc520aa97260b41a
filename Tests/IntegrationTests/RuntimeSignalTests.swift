import Foundation
import Prefect
import PrefectClient
import PrefectServer
import PrefectTestSupport
import Testing

@Suite("Runtime: SIGTERM and SIGINT mark running flows Crashed before the process exits")
struct RuntimeSignalTests {
    @Test(
        "a signal during a task: flow and task runs end Crashed with Prefect's message, exit 128 + signal",
        arguments: ServerUnderTest.withDistributed, [SIGTERM, SIGINT])
    func crashOnSignal(server: ServerUnderTest, signal: Int32) async throws {
        try await signalDuringTask(server, signal, reporting: .rest)
    }

    @Test(
        "a signal during a task reported as events: its Crashed reaches the server as the run's next event",
        arguments: ServerUnderTest.withDistributed)
    func crashOnSignalWithEvents(server: ServerUnderTest) async throws {
        try await signalDuringTask(server, SIGTERM, reporting: .events)
    }

    private func signalDuringTask(_ server: ServerUnderTest, _ signal: Int32, reporting: TaskRunReporting) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let apiURL = server == .embedded ? nil : try IntegrationServer.url(for: server, forRuntime: true).absoluteString
        let child = try ChildProcess(
            BuiltExecutable.url("prefect-test-flows"), arguments: ["hold"],
            environment: [
                "PREFECT_HOME": home.path, "PREFECT_API_URL": apiURL, "PREFECT_PROFILES_PATH": home.appendingPathComponent("none.toml").path,
                "PREFECT_SWIFT_LOGGING_CONSOLE": "false", "PREFECT_CLIENT_MAX_RETRIES": "8",
                "PREFECT_SWIFT_TASK_RUN_REPORTING": reporting.rawValue,
            ])
        let ready = try #require(try await child.line(startingWith: "ready "), "the flow started: \(child.errorOutput)")
        let ids = ready.split(separator: " ").dropFirst().compactMap { UUID(uuidString: String($0)) }
        try #require(ids.count == 2)
        child.send(signal)
        let status = try await child.exitStatus()
        #expect(status == 128 + signal, "exit status \(status); standard error: \(child.errorOutput)")

        let message = signal == SIGINT
            ? "Execution was aborted by an interrupt signal." : "Execution was aborted by a termination signal."
        try await Self.withClient(server, home: home) { client in
            let flowRun = try await client.readFlowRun(flowRunID: ids[0])
            #expect(flowRun.stateType == .crashed)
            #expect(flowRun.state?.message == message)
            var taskRun = try? await client.readTaskRun(taskRunID: ids[1])
            // A server records an event-reported run a moment after its events arrive.
            for _ in 0..<80 where taskRun?.stateType != .crashed {
                try await Task.sleep(for: .milliseconds(250))
                taskRun = try? await client.readTaskRun(taskRunID: ids[1])
            }
            #expect(taskRun?.stateType == .crashed)
            #expect(taskRun?.state?.message == message)
            try await RuntimeHarness.expectTaskRunStates(client, ids[1], ["Pending", "Running", "Crashed"])
            let logs = try await client.readLogs(logFilter: LogFilter(flowRunID: LogFilterFlowRunId(any: [ids[0]])))
            #expect(logs.contains { $0.message == "waiting for a signal" }, "logs were flushed before the exit")
        }
    }

    /// A client of `server`; for the embedded server, of the database the child process wrote.
    static func withClient(_ server: ServerUnderTest, home: URL, _ body: (PrefectClient) async throws -> Void) async throws {
        guard server == .embedded else {
            return try await IntegrationServer.withClient(server, forRuntime: true, body)
        }
        let client = try await EmbeddedPrefect.client(
            databasePath: home.appendingPathComponent(EmbeddedPrefect.databaseFileName).path,
            settings: PrefectSettings(home: home.path))
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
