import ArgumentParser
import Foundation
import HTTPTypes
import Prefect
import PrefectClient
import PrefectServer
import Synchronization

/// `prefect-bench flows`: section f of `python_client_bench.py` with the Swift runtime — a
/// flow of `add_one` task calls, sequential, concurrent (Python's `.submit`) and `map`, plus an
/// empty flow and the sizes of Prefect's own benchmarks (10, 50, 100, 250 tasks). Against
/// `--api-url`, or the embedded server in-process on a fresh database.
struct FlowBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows", abstract: "Flows of N tasks through the runtime (section f).")

    @Option(help: "The Prefect API (default: the embedded server in-process, fresh database).")
    var apiURL: String?
    @Option(help: "Task calls per flow in the main runs.")
    var flowTasks: Int = 200
    @Option(help: "Flow sizes for the sequential size sweep.")
    var sizes: String = "10,50,100,250"
    @Option(help: "Runs of each measurement; the figures are the medians.")
    var repeats: Int = 3
    @Option(help: "The server's PID, to report its CPU.")
    var serverPID: Int32?
    @Option(help: "Also write the JSON here.")
    var output: String?
    @Option(help: "How the runtime reports task runs: events (the default) or rest.")
    var taskRunReporting: String = "events"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-bench-flows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = PrefectSettings(home: directory.path)
        guard let reporting = TaskRunReporting(rawValue: taskRunReporting) else {
            throw ValidationError("--task-run-reporting must be rest or events")
        }
        let client: PrefectClient
        var app: PrefectServerApp?
        let counter: CountingTransport?
        if let apiURL, let url = URL(string: apiURL) {
            settings.apiURL = url
            let counting = CountingTransport(wrapping: NIOHTTP1Transport())
            counter = counting
            client = try PrefectClient(apiURL: url, transport: counting, serverType: .server, settings: settings)
        } else {
            counter = nil
            let opened = try PrefectServerApp.open(databasePath: directory.appendingPathComponent("bench.db").path)
            app = opened
            client = try PrefectClient(
                apiURL: EmbeddedPrefect.apiURL, transport: InProcessTransport(app: opened), serverType: .ephemeral,
                settings: settings)
        }
        var configuration = PrefectRuntime.Configuration()
        configuration.consoleLogs = false
        configuration.crashesRunsOnTerminationSignal = false
        configuration.localStoragePath = directory.appendingPathComponent("storage").path
        configuration.taskRunReporting = reporting
        let runtime = PrefectRuntime(client: client, configuration: configuration)
        let flows = BenchFlows()

        for flow in [flows.sequential, flows.concurrent, flows.map] {
            _ = try await flow.run(3, runtime: runtime)
        }
        var results: JSONObject = [:]
        let empty = try await measure(flows.sequential, tasks: 0, runtime: runtime, client: client, flows: flows, counter: counter)
        results["f_flow_empty"] = .object(empty)
        let emptyCPU = empty["client_cpu_s"].flatMap(Self.number) ?? 0
        for (key, flow) in [("f_flow_seq", flows.sequential), ("f_flow_submit", flows.concurrent), ("f_flow_map", flows.map)] {
            var result = try await measure(flow, tasks: flowTasks, runtime: runtime, client: client, flows: flows, counter: counter)
            if let cpu = result["client_cpu_s"].flatMap(Self.number) {
                result["marginal_client_cpu_us_per_task"] = .double(Self.rounded((cpu - emptyCPU) / Double(flowTasks) * 1e6))
            }
            results[key] = .object(result)
        }
        var sweep: JSONObject = [:]
        for size in sizes.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            sweep[String(size)] = .object(try await measure(flows.sequential, tasks: size, runtime: runtime, client: client, flows: flows, counter: counter))
        }
        results["f_sizes_seq"] = .object(sweep)
        await runtime.shutdown()
        try await client.shutdown()
        app?.close()
        let document: JSONValue = .object([
            "meta": .object([
                "tool": "prefect-bench flows",
                "server": .string(apiURL ?? "embedded, in-process"),
                "flow_tasks": .int(Int64(flowTasks)),
                "task_run_reporting": .string(taskRunReporting),
                "repeats": .int(Int64(repeats)),
                "date_utc": .string(ISO8601DateFormatter().string(from: Date())),
            ]),
            "results": .object(results),
        ])
        let text = document.jsonText
        if let output { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) }
        print(text)
    }

    /// Runs `flow` over `tasks` task calls `repeats` times; the median of each figure.
    private func measure(
        _ flow: PrefectFlow<Int, Int>, tasks: Int, runtime: PrefectRuntime, client: PrefectClient, flows: BenchFlows,
        counter: CountingTransport?
    ) async throws -> JSONObject {
        var samples: [[String: Double]] = []
        var lastOK = true
        var lastFlowRunID = ""
        for _ in 0..<max(1, repeats) {
            let server = serverPID.flatMap(ProcessCPU.treeSeconds)
            let requests = counter?.snapshot().requests ?? 0
            let cpu = CPUTime.now()
            let start = ContinuousClock.now
            let outcome = try await flow.runReturningOutcome(tasks, runtime: runtime)
            let wall = (ContinuousClock.now - start).seconds
            let sent = (counter?.snapshot().requests ?? 0) - requests
            // How long after the flow returned the server shows every task run Completed (at
            // once over REST; through the server's recorder with events).
            let shown = ContinuousClock.now
            var visible = try await completedTaskRuns(client, outcome.flowRunID)
            while visible < tasks, ContinuousClock.now - shown < .seconds(30) {
                try await Task.sleep(for: .milliseconds(20))
                visible = try await completedTaskRuns(client, outcome.flowRunID)
            }
            let visibleAfter = (ContinuousClock.now - shown).seconds
            let cpuUsed = CPUTime.now() - cpu
            // From the flow's start, as python_client.py measures it.
            var sample: [String: Double] = [
                "wall_s": wall, "client_cpu_s": cpuUsed, "server_shows_all_after_s": visibleAfter,
                "server_persisted_s": wall + visibleAfter,
            ]
            if counter != nil {
                sample["http_requests"] = Double(sent)
                if tasks > 0 { sample["http_requests_per_task"] = Double(sent) / Double(tasks) }
            }
            if let server, let serverEnd = serverPID.flatMap(ProcessCPU.treeSeconds) {
                sample["server_cpu_s"] = serverEnd - server
                if tasks > 0 { sample["server_cpu_ms_per_task"] = (serverEnd - server) / Double(tasks) * 1e3 }
            }
            let body = flows.lastBody()
            sample["body_wall_s"] = body.wall
            sample["body_client_cpu_s"] = body.cpu
            sample["setup_wall_s"] = body.setup(from: start)
            if tasks > 0 {
                sample["body_wall_us_per_task"] = body.wall / Double(tasks) * 1e6
                sample["body_client_cpu_us_per_task"] = body.cpu / Double(tasks) * 1e6
                sample["wall_us_per_task"] = wall / Double(tasks) * 1e6
            }
            lastOK = (try? outcome.get()) == (0..<tasks).reduce(0) { $0 + $1 + 1 }
            lastFlowRunID = outcome.flowRunID.prefectString
            samples.append(sample)
        }
        var result: JSONObject = [:]
        for key in samples[0].keys {
            let values = samples.compactMap { $0[key] }.sorted()
            let median = values[values.count / 2]
            result[key] = .double(Self.rounded(median, digits: key.hasSuffix("_s") ? 4 : 1))
        }
        let countBody: JSONValue = [
            "flow_runs": ["id": ["any_": [.string(lastFlowRunID)]]],
            "task_runs": ["state": ["type": ["any_": ["COMPLETED"]]]],
        ]
        let completed = try PrefectJSON.decode(
            Int.self, from: try await client.http.send(.post, "/task_runs/count", json: countBody).body)
        result["tasks"] = .int(Int64(tasks))
        result["result_ok"] = .bool(lastOK)
        result["server_completed_task_runs"] = .int(Int64(completed))
        result["flow_run_id"] = .string(lastFlowRunID)
        return result
    }

    private func completedTaskRuns(_ client: PrefectClient, _ flowRunID: UUID) async throws -> Int {
        let body: JSONValue = [
            "flow_runs": ["id": ["any_": [.string(flowRunID.prefectString)]]],
            "task_runs": ["state": ["type": ["any_": ["COMPLETED"]]]],
        ]
        return try PrefectJSON.decode(Int.self, from: try await client.http.send(.post, "/task_runs/count", json: body).body)
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .double(let number): number
        case .int(let number): Double(number)
        default: nil
        }
    }

    static func rounded(_ value: Double, digits: Int = 1) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}

/// The benchmark's flows: `add_one` over `0..<n`, three ways, each recording when its body
/// started and ended.
final class BenchFlows: Sendable {
    struct Body: Sendable {
        var start = ContinuousClock.now
        var end = ContinuousClock.now
        var cpuStart = 0.0
        var cpuEnd = 0.0
        var wall: Double { (end - start).seconds }
        var cpu: Double { cpuEnd - cpuStart }
        func setup(from runStart: ContinuousClock.Instant) -> Double { (start - runStart).seconds }
    }

    private let body = Mutex(Body())
    let addOne = PrefectTask("add_one") { (x: Int) -> Int in x + 1 }
    var sequential: PrefectFlow<Int, Int> {
        PrefectFlow("swiftbench-seq") { [self] (n: Int) -> Int in
            began()
            var total = 0
            for index in 0..<n { total += try await addOne(index) }
            ended()
            return total
        }
    }
    var concurrent: PrefectFlow<Int, Int> {
        PrefectFlow("swiftbench-submit") { [self] (n: Int) -> Int in
            began()
            let addOne = self.addOne
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<n { group.addTask { try await addOne(index) } }
                return try await group.reduce(0, +)
            }
            ended()
            return total
        }
    }
    var map: PrefectFlow<Int, Int> {
        PrefectFlow("swiftbench-map") { [self] (n: Int) -> Int in
            began()
            let total = try await addOne.map(0..<n).reduce(0, +)
            ended()
            return total
        }
    }

    func lastBody() -> Body { body.withLock { $0 } }

    private func began() {
        let now = ContinuousClock.now
        let cpu = CPUTime.now()
        body.withLock {
            $0.start = now
            $0.cpuStart = cpu
        }
    }

    private func ended() {
        let cpu = CPUTime.now()
        let now = ContinuousClock.now
        body.withLock {
            $0.end = now
            $0.cpuEnd = cpu
        }
    }
}
