import Foundation
import HTTPTypes
import PrefectClient

/// Sections a–e, one client shared by all, as `AsyncBench` in python_client_bench.py.
struct ClientSections {
    let client: PrefectClient
    let counter: CountingTransport
    let serverPID: Int32?
    let n: Int
    let concurrency: Int
    let warmup: Int
    let readRepeats: Int
    let readLimit: Int
    let flowName = "swiftbench-api"

    private func meter(_ ops: Int, counted: Bool = true, extra: JSONObject = [:]) -> Meter {
        Meter(ops: ops, counter: counted ? counter : nil, serverPID: serverPID, extra: extra)
    }

    /// `create_flow_run(flow)`: POST /flows/ then POST /flow_runs/, as Prefect's client does.
    private func createRun() async throws -> FlowRun {
        try await client.createFlowRun(flowName: flowName)
    }

    /// `fn(0..<count)` with at most `limit` in flight.
    private func gatherLimited<T: Sendable>(
        _ count: Int, _ limit: Int, _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var results: [T?] = Array(repeating: nil, count: count)
            var next = 0
            while next < min(limit, count) {
                let index = next
                group.addTask { (index, try await body(index)) }
                next += 1
            }
            while let (index, value) = try await group.next() {
                results[index] = value
                if next < count {
                    let index = next
                    group.addTask { (index, try await body(index)) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }

    func setup(into results: inout JSONObject) async throws {
        results[measurement: "a0_create_flow_once"] = try await meter(1).measure { _ in
            _ = try await client.createFlowFromName(flowName)
        }
    }

    func run(_ section: String, into results: inout JSONObject) async throws {
        switch section {
        case "a": try await sectionA(&results)
        case "b": try await sectionB(&results)
        case "c": try await sectionC(&results)
        case "d": try await sectionD(&results)
        case "e": try await sectionE(&results)
        default: break
        }
    }

    private func sectionA(_ results: inout JSONObject) async throws {
        for _ in 0..<warmup { _ = try await createRun() }
        results[measurement: "a_create_flow_run_seq"] = try await meter(n).measure { m in
            for _ in 0..<n { _ = try await m.op { try await createRun() } }
        }
        let flowID = try await client.createFlowFromName(flowName)
        for _ in 0..<warmup { _ = try await client.createFlowRun(flowID: flowID) }
        results[measurement: "a_create_flow_run_by_id_seq"] = try await meter(n).measure { m in
            for _ in 0..<n { _ = try await m.op { try await client.createFlowRun(flowID: flowID) } }
        }
    }

    private func sectionB(_ results: inout JSONObject) async throws {
        let createRun = { @Sendable (_: Int) in try await client.createFlowRun(flowName: flowName) }
        _ = try await gatherLimited(warmup, concurrency, createRun)
        results[measurement: "b_create_flow_run_conc"] = try await meter(n, extra: ["concurrency": .int(Int64(concurrency))]).measure { m in
            _ = try await gatherLimited(n, concurrency) { index in try await m.op { try await createRun(index) } }
        }
    }

    private func sectionC(_ results: inout JSONObject) async throws {
        let have = try await client.countFlowRuns()
        if have < readLimit {
            _ = try await gatherLimited(readLimit - have, concurrency) { _ in try await client.createFlowRun(flowName: flowName) }
        }
        var rows = 0
        for _ in 0..<min(warmup, 5) { rows = try await client.readFlowRuns(limit: readLimit).count }
        let read = try await meter(readRepeats, extra: ["rows_per_op": .int(Int64(rows))]).measure { m in
            for _ in 0..<readRepeats { rows = try await m.op { try await client.readFlowRuns(limit: readLimit) }.count }
        }
        let body = try JSONEncoder().encode(["limit": readLimit, "offset": 0])
        var raw = Data()
        for _ in 0..<min(warmup, 5) { raw = try await client.http.send(.post, "/flow_runs/filter", body: body).body }
        var rawResult = try await meter(readRepeats).measure { m in
            for _ in 0..<readRepeats { raw = try await m.op { try await client.http.send(.post, "/flow_runs/filter", body: body) }.body }
        }
        rawResult["response_bytes"] = .int(Int64(raw.count))
        let payload = raw
        _ = try PrefectJSONDecoder().decode([FlowRun].self, from: payload)
        let decode = try await meter(readRepeats, counted: false).measure { _ in
            for _ in 0..<readRepeats { _ = try PrefectJSONDecoder().decode([FlowRun].self, from: payload) }
        }
        let foundation = try await meter(readRepeats, counted: false).measure { _ in
            for _ in 0..<readRepeats { _ = try JSONDecoder().decode([FlowRun].self, from: payload) }
        }
        results[measurement: "c_read_flow_runs"] = read
        results[measurement: "c_raw_post_filter"] = rawResult
        results[measurement: "c_decode_client_path"] = decode
        results[measurement: "c_decode_foundation_jsondecoder"] = foundation
        let clientCPU = read["client_cpu_us_per_op"]?.doubleValue ?? 0
        let clientWall = read["wall_us_per_op"]?.doubleValue ?? 0
        let decodeCPU = decode["client_cpu_us_per_op"]?.doubleValue ?? 0
        results["c_summary"] = [
            "rows_per_read": .int(Int64(rows)),
            "response_bytes": .int(Int64(raw.count)),
            "decode_us_per_read_client_path": .double(decodeCPU),
            "decode_us_per_read_foundation": foundation["client_cpu_us_per_op"] ?? .null,
            "decode_share_of_client_cpu": .double(clientCPU > 0 ? rounded(decodeCPU / clientCPU, 3) : 0),
            "decode_share_of_client_wall": .double(clientWall > 0 ? rounded(decodeCPU / clientWall, 3) : 0),
            "raw_http_wall_us_per_read": rawResult["wall_us_per_op"] ?? .null,
            "raw_http_client_cpu_us_per_read": rawResult["client_cpu_us_per_op"] ?? .null,
        ]
    }

    private func sectionD(_ results: inout JSONObject) async throws {
        let flowRun = try await createRun()
        let started = try await client.setFlowRunState(flowRunID: flowRun.id, state: .running())
        guard started.status == .accept else { throw BenchmarkFailure("flow run not set Running: \(started.status)") }
        func cycle(_ key: String) async throws -> Int {
            let taskRun = try await client.createTaskRun(taskKey: "add_one-swiftbench", flowRunID: flowRun.id, dynamicKey: key)
            let running = try await client.setTaskRunState(taskRunID: taskRun.id, state: .running())
            let completed = try await client.setTaskRunState(taskRunID: taskRun.id, state: .completed())
            return (running.status == .accept ? 0 : 1) + (completed.status == .accept ? 0 : 1)
        }
        for index in 0..<warmup { _ = try await cycle("warm-\(index)") }
        var rejected = 0
        var result = try await meter(n).measure { m in
            for index in 0..<n { rejected += try await m.op { try await cycle(String(index)) } }
        }
        result["non_accepted_transitions"] = .int(Int64(rejected))
        result["requests_per_op_expected"] = 3
        results[measurement: "d_task_run_cycle_seq"] = result
    }

    private func sectionE(_ results: inout JSONObject) async throws {
        let runs = try await gatherLimited(n + warmup, concurrency) { _ in
            try await client.createFlowRun(flowName: flowName, state: .scheduled())
        }
        let ids = runs.map(\.id)
        func cycle(_ id: UUID) async throws -> Int {
            var rejected = 0
            for state in [State.pending(), .running(), .completed()] {
                rejected += try await client.setFlowRunState(flowRunID: id, state: state).status == .accept ? 0 : 1
            }
            return rejected
        }
        for id in ids.prefix(warmup) { _ = try await cycle(id) }
        var rejected = 0
        var result = try await meter(n).measure { m in
            for id in ids.dropFirst(warmup) { rejected += try await m.op { try await cycle(id) } }
        }
        result["non_accepted_transitions"] = .int(Int64(rejected))
        result["transitions_per_op"] = 3
        if let wall = result["wall_us_per_op"]?.doubleValue, let cpu = result["client_cpu_us_per_op"]?.doubleValue {
            result["wall_us_per_transition"] = .double(rounded(wall / 3, 1))
            result["client_cpu_us_per_transition"] = .double(rounded(cpu / 3, 1))
        }
        results[measurement: "e_flow_run_state_cycle_seq"] = result
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}
