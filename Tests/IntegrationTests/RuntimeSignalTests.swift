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
        arguments: ServerUnderTest.available, [SIGTERM, SIGINT])
    func crashOnSignal(server: ServerUnderTest, signal: Int32) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let apiURL = server == .embedded ? nil : try IntegrationServer.url(for: server, forRuntime: true).absoluteString
        let child = try ChildProcess(
            BuiltExecutable.url("prefect-test-flows"), arguments: ["hold"],
            environment: [
                "PREFECT_HOME": home.path, "PREFECT_API_URL": apiURL, "PREFECT_PROFILES_PATH": home.appendingPathComponent("none.toml").path,
                "PREFECT_SWIFT_LOGGING_CONSOLE": "false", "PREFECT_CLIENT_MAX_RETRIES": "8",
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
            let taskRun = try await client.readTaskRun(taskRunID: ids[1])
            #expect(taskRun.stateType == .crashed)
            #expect(try await RuntimeHarness.taskRunStateNames(client, ids[1]) == ["Pending", "Running", "Crashed"])
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
