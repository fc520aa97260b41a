import Foundation
import Prefect
import PrefectClient
import PrefectServer
import PrefectTestSupport
import Testing

/// `prefect-swift` as a user runs it: the built executable, piped and on a terminal, against
/// each server (for the embedded one, on the database a flow wrote in `PREFECT_HOME`).
@Suite("prefect-swift commands on every server")
struct CLITests {
    /// Where a CLI run points: a server URL, or a home whose embedded database it reads.
    struct Target {
        let home: URL
        let apiURL: String?

        var environment: [String: String?] {
            [
                "PREFECT_HOME": home.path, "PREFECT_API_URL": apiURL, "PREFECT_PROFILE": nil,
                "PREFECT_PROFILES_PATH": home.appendingPathComponent("profiles.toml").path, "NO_COLOR": nil,
                "PREFECT_CLIENT_MAX_RETRIES": "8",
            ]
        }

        /// Runs `prefect-swift arguments…` piped; returns (exit status, stdout, stderr).
        func run(_ arguments: [String], extra: [String: String?] = [:]) async throws -> (Int32, String, String) {
            let child = try ChildProcess(
                BuiltExecutable.url("prefect-swift"), arguments: arguments, environment: environment.merging(extra) { $1 })
            let status = try await child.exitStatus(timeout: .seconds(60))
            return (status, child.output, child.errorOutput)
        }

        /// Runs `prefect-swift arguments…` on a pseudo-terminal `columns` wide (`script`).
        func runOnTerminal(_ arguments: [String], columns: Int) async throws -> (Int32, String) {
            let command = ([BuiltExecutable.url("prefect-swift").path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let child = try ChildProcess(
                URL(fileURLWithPath: "/usr/bin/script"), arguments: ["-qec", command, "/dev/null"],
                environment: environment.merging(["COLUMNS": String(columns), "TERM": "xterm"]) { $1 })
            let status = try await child.exitStatus(timeout: .seconds(60))
            return (status, child.output)
        }
    }

    /// A target for `server` with one finished flow run of a flow with a task and a log line.
    static func withTarget(_ server: ServerUnderTest, _ body: (Target, FlowRunOutcome<Int>, PrefectClient) async throws -> Void) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let apiURL = server == .embedded ? nil : try IntegrationServer.url(for: server, forRuntime: true).absoluteString
        let client: PrefectClient
        if let apiURL {
            var settings = PrefectSettings(home: home.path)
            settings.apiURL = URL(string: apiURL)
            settings.maxRetries = 8
            client = try PrefectClient(settings: settings)
        } else {
            client = try await EmbeddedPrefect.client(
                databasePath: home.appendingPathComponent(EmbeddedPrefect.databaseFileName).path,
                settings: PrefectSettings(home: home.path))
        }
        var configuration = PrefectRuntime.Configuration()
        configuration.consoleLogs = false
        configuration.crashesRunsOnTerminationSignal = false  // see RuntimeHarness
        let runtime = PrefectRuntime(client: client, configuration: configuration)
        let double = PrefectTask("double") { (value: Int) -> Int in
            RunContext.logger.info("doubling \(value)")
            return value * 2
        }
        let flow = PrefectFlow(IntegrationServer.uniqueName("cli")) { (value: Int) -> Int in try await double(value) }
        let outcome = try await flow.runReturningOutcome(21, runtime: runtime)
        await runtime.shutdown()
        do {
            try await body(Target(home: home, apiURL: apiURL), outcome, client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("flow-run ls, inspect and logs: tables piped, JSON, exit codes", arguments: ServerUnderTest.available)
    func flowRuns(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, outcome, _ in
            let id = outcome.flowRunID.prefectString
            let (status, table, _) = try await target.run(["flow-run", "ls", "--limit", "200"])
            #expect(status == 0)
            #expect(table.hasPrefix("Flow Runs\n+"))
            let row = try #require(table.split(separator: "\n").first { $0.contains(id) })
            #expect(row.contains(outcome.flowRunName) && row.contains("COMPLETED"))
            #expect(!table.contains("\u{1B}["), "no colours on a pipe")
            let widths = Set(table.split(separator: "\n").dropFirst().map(\.count))
            #expect(widths.count == 1, "every line of the table is as wide")

            let (jsonStatus, json, _) = try await target.run(["flow-run", "ls", "--limit", "200", "--output", "json"])
            #expect(jsonStatus == 0)
            let runs = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
            #expect(runs?.contains { $0["id"] as? String == id } == true)

            let (completedStatus, completed, _) = try await target.run(["flow-run", "ls", "--state", "completed", "--limit", "200"])
            #expect(completedStatus == 0 && completed.contains(id))
            let (failedStatus, failed, _) = try await target.run(["flow-run", "ls", "--state-type", "FAILED", "--limit", "200"])
            #expect(failedStatus == 0 && !failed.contains(id))

            let (inspectStatus, inspect, _) = try await target.run(["flow-run", "inspect", id])
            #expect(inspectStatus == 0)
            #expect(inspect.contains("name                 \(outcome.flowRunName)"))
            #expect(inspect.contains(#"parameters           {"input":21}"#))

            let (logsStatus, logs, _) = try await target.run(["flow-run", "logs", id])
            #expect(logsStatus == 0)
            #expect(logs.contains("| INFO    | Flow run '\(outcome.flowRunName)' - doubling 21"))

            let (badStatus, badOut, badErr) = try await target.run(["flow-run", "inspect", "not-a-uuid"])
            #expect(badStatus == 1 && badOut.isEmpty)
            #expect(badErr == "Error: 'not-a-uuid' is not a valid flow run id (a UUID)\n")
            let missing = UUID().prefectString
            let (missingStatus, _, missingErr) = try await target.run(["flow-run", "inspect", missing])
            #expect(missingStatus == 1)
            #expect(missingErr == "Error: Flow run '\(missing)' not found!\n")
            let (formatStatus, _, formatErr) = try await target.run(["flow-run", "ls", "--output", "yaml"])
            #expect(formatStatus == 1 && formatErr == "Error: Only 'json' output format is supported.\n")
        }
    }

    @Test("on a terminal: colours, and the table fits the terminal's width", arguments: ServerUnderTest.available)
    func terminal(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, outcome, client in
            let flowName = try await client.readFlow(flowID: try await client.readFlowRun(flowRunID: outcome.flowRunID).flowID).name
            let (status, screen) = try await target.runOnTerminal(["flow-run", "ls", "--flow-name", flowName], columns: 80)
            #expect(status == 0)
            #expect(screen.contains("\u{1B}[32mCOMPLETED"), "state coloured green")
            let visible = screen.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            let lines = visible.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("|") || $0.hasPrefix("+") }
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0.count <= 80 }, "fits 80 columns")
            #expect(visible.contains("…"), "long columns are cut to fit")
            #expect(visible.contains(outcome.flowRunID.prefectString), "ids are never cut")
        }
    }

    @Test("cancel and delete a flow run; a finished run cannot be cancelled", arguments: ServerUnderTest.available)
    func cancelAndDelete(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, outcome, client in
            let id = outcome.flowRunID.prefectString
            let (abortStatus, _, abortErr) = try await target.run(["flow-run", "cancel", id])
            #expect(abortStatus == 1)
            #expect(abortErr.hasPrefix("Error: Flow run '\(id)' was unable to be cancelled. Reason: 'Run is already in terminal state COMPLETED.'"))
            let pending = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("cli-cancel"))
            _ = try await client.setFlowRunState(flowRunID: pending.id, state: .running())
            let (cancelStatus, cancelled, _) = try await target.run(["flow-run", "cancel", pending.id.prefectString])
            #expect(cancelStatus == 0)
            #expect(cancelled == "Flow run '\(pending.id.prefectString)' was successfully scheduled for cancellation.\n")
            #expect(try await client.readFlowRun(flowRunID: pending.id).stateType == .cancelling)

            let (deleteStatus, deleted, _) = try await target.run(["flow-run", "delete", id])
            #expect(deleteStatus == 0 && deleted == "Successfully deleted flow run '\(id)'.\n")
            await #expect(throws: ObjectNotFound.self) { try await client.readFlowRun(flowRunID: outcome.flowRunID) }
            let (againStatus, _, againErr) = try await target.run(["flow-run", "delete", id])
            #expect(againStatus == 1 && againErr == "Error: Flow run '\(id)' not found!\n")
        }
    }

    @Test("flow-run logs --follow prints new logs until the run ends", arguments: ServerUnderTest.available)
    func followLogs(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, _, client in
            let run = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("cli-follow"))
            _ = try await client.setFlowRunState(flowRunID: run.id, state: .running())
            let follower = try ChildProcess(
                BuiltExecutable.url("prefect-swift"), arguments: ["flow-run", "logs", run.id.prefectString, "--follow", "--interval", "0.2"],
                environment: target.environment)
            try await Task.sleep(for: .milliseconds(600))
            try await client.createLogs([
                LogCreate(name: "test", level: 30, message: "late news", timestamp: Date(), flowRunID: run.id)
            ])
            #expect(try await follower.line(startingWith: "20", timeout: .seconds(20))?.contains("late news") == true)
            _ = try await client.setFlowRunState(flowRunID: run.id, state: .completed())
            #expect(try await follower.exitStatus(timeout: .seconds(30)) == 0)
            #expect(follower.output.contains("Flow run '\(run.name)' finished in state Completed."))
        }
    }

    @Test("variable set, get, ls and unset", arguments: ServerUnderTest.available)
    func variables(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, _, _ in
            let variable = IntegrationServer.uniqueName("cli_var").replacingOccurrences(of: "-", with: "_")
            #expect(try await target.run(["variable", "set", variable, "[1, 2]"]).0 == 0)
            #expect(try await target.run(["variable", "get", variable]).1 == "[1,2]\n")
            let (takenStatus, _, takenErr) = try await target.run(["variable", "set", variable, "3"])
            #expect(takenStatus == 1 && takenErr.contains("already exists"))
            #expect(try await target.run(["variable", "set", variable, "text", "--overwrite"]).0 == 0)
            #expect(try await target.run(["variable", "get", variable]).1 == "text\n")
            #expect(try await target.run(["variable", "ls"]).1.contains(variable))
            // A DELETE that timed out on a loaded server may have been done there: its retry then
            // finds nothing, which Prefect's CLI reports as not found. Either way it must be gone.
            let (unsetStatus, _, unsetErr) = try await target.run(["variable", "unset", variable])
            #expect(unsetStatus == 0 || unsetErr.contains("not found"), "variable unset: \(unsetErr)")
            let (getStatus, _, getErr) = try await target.run(["variable", "get", variable])
            #expect(getStatus == 1, "variable get after unset: \(getErr)")
        }
    }

    @Test("work-pool create, ls and delete", arguments: ServerUnderTest.available)
    func workPools(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, _, _ in
            let pool = IntegrationServer.uniqueName("cli-pool")
            #expect(try await target.run(["work-pool", "create", pool, "--concurrency-limit", "2"]).1 == "Created work pool '\(pool)'!\n")
            #expect(try await target.run(["work-pool", "create", pool]).0 == 1)
            let (_, pools, _) = try await target.run(["work-pool", "ls"])
            #expect(pools.split(separator: "\n").contains { $0.contains(pool) && $0.contains("process") && $0.contains(" 2 ") })
            #expect(try await target.run(["work-pool", "delete", pool]).0 == 0)
            #expect(try await target.run(["work-pool", "delete", pool]).0 == 1)
        }
    }

    @Test("deployment ls and run", arguments: ServerUnderTest.available)
    func deployments(server: ServerUnderTest) async throws {
        try await Self.withTarget(server) { target, outcome, client in
            let flowRun = try await client.readFlowRun(flowRunID: outcome.flowRunID)
            let flow = try await client.readFlow(flowID: flowRun.flowID)
            let deploymentName = IntegrationServer.uniqueName("cli-deploy")
            _ = try await client.createDeployment(flowID: flow.id, name: deploymentName, parameters: ["value": 1, "mode": "fast"])
            let (listStatus, deployments, _) = try await target.run(["deployment", "ls"])
            #expect(listStatus == 0 && deployments.contains("\(flow.name)/\(deploymentName)"))
            let (runStatus, created, _) = try await target.run(
                ["deployment", "run", "\(flow.name)/\(deploymentName)", "--param", "value=5", "--param", "note=hello"])
            #expect(runStatus == 0)
            let runID = try #require(created.split(separator: "(").dropFirst().first?.split(separator: ")").first.flatMap { UUID(uuidString: String($0)) })
            let fromDeployment = try await client.readFlowRun(flowRunID: runID)
            #expect(fromDeployment.parameters == ["value": 5, "mode": "fast", "note": "hello"])
            let (missingStatus, _, missingErr) = try await target.run(["deployment", "run", "\(flow.name)/nope"])
            #expect(missingStatus == 1 && missingErr == "Error: Deployment '\(flow.name)/nope' not found!\n")
        }
    }

    @Test("config view shows where each setting comes from, secrets masked")
    func configView() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cli-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data("active = \"work\"\n[profiles.work]\nPREFECT_CLIENT_MAX_RETRIES = \"7\"\n".utf8)
            .write(to: home.appendingPathComponent("profiles.toml"))
        let target = Target(home: home, apiURL: "http://127.0.0.1:4200/api")
        let (status, out, _) = try await target.run(
            ["config", "view"], extra: ["PREFECT_API_KEY": "pnu_secret_value", "PREFECT_CLIENT_MAX_RETRIES": nil])
        #expect(status == 0)
        #expect(out.contains("PREFECT_PROFILE='work'"))
        #expect(out.contains("PREFECT_API_URL='http://127.0.0.1:4200/api' (from env)"))
        #expect(out.contains("PREFECT_API_KEY='********' (from env)"))
        #expect(out.contains("PREFECT_CLIENT_MAX_RETRIES='7' (from profile 'work')"))
        #expect(out.contains("PREFECT_API_REQUEST_TIMEOUT='60.0' (from default)"))
        #expect(!out.contains("pnu_secret_value"))
        let (badStatus, _, badErr) = try await target.run(["config", "view"], extra: ["PREFECT_CLIENT_MAX_RETRIES": "many"])
        #expect(badStatus == 1 && badErr.hasPrefix("Error: ") && badErr.filter { $0 == "\n" }.count == 1)
    }

    @Test("an unreachable server or wrong settings: one line and exit 1")
    func unreachable() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cli-down-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let target = Target(home: home, apiURL: "http://127.0.0.1:9/api")
        for command in [["flow", "ls"], ["flow-run", "ls"], ["variable", "ls"], ["work-pool", "ls"]] {
            let (status, out, err) = try await target.run(command)
            #expect(status == 1, "\(command)")
            #expect(out.isEmpty)
            #expect(err.hasPrefix("Error: cannot reach the Prefect API at http://127.0.0.1:9/api"), "\(command): \(err)")
            #expect(err.filter { $0 == "\n" }.count == 1)
        }
        let (badURLStatus, _, badURLErr) = try await Target(home: home, apiURL: "ftp://nowhere").run(["flow", "ls"])
        #expect(badURLStatus == 1 && badURLErr.contains("PREFECT_API_URL"))
    }
}
