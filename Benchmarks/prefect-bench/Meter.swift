import Foundation
import PrefectClient
import Synchronization

/// Measures one benchmark section as `python_client_bench.py`'s `Meter` does: wall time,
/// client CPU (all threads), server CPU, HTTP attempts and per-op latency percentiles.
final class Meter: Sendable {
    let ops: Int
    let counter: CountingTransport?
    let serverPID: Int32?
    let extra: JSONObject
    private let latencies = Mutex<[Double]>([])
    private let start = Mutex<(wall: ContinuousClock.Instant, cpu: CPUTime.Sample, server: Double?, requests: CountingTransport.Snapshot?)?>(nil)
    private let end = Mutex<(wall: ContinuousClock.Instant, cpu: CPUTime.Sample, server: Double?, requests: CountingTransport.Snapshot?)?>(nil)

    init(ops: Int, counter: CountingTransport?, serverPID: Int32?, extra: JSONObject = [:]) {
        self.ops = ops
        self.counter = counter
        self.serverPID = serverPID
        self.extra = extra
    }

    /// Runs `body` between the start and end readings.
    func measure(_ body: (Meter) async throws -> Void) async rethrows -> JSONObject {
        let requests = counter?.snapshot()
        let server = serverPID.flatMap(ProcessCPU.treeSeconds)
        let cpu = CPUTime.sample()
        start.withLock { $0 = (ContinuousClock.now, cpu, server, requests) }
        try await body(self)
        let wall = ContinuousClock.now
        let cpuEnd = CPUTime.sample()
        let serverEnd = serverPID.flatMap(ProcessCPU.treeSeconds)
        end.withLock { $0 = (wall, cpuEnd, serverEnd, counter?.snapshot()) }
        return result()
    }

    /// Awaits one op and records its latency.
    func op<T>(_ body: () async throws -> T) async rethrows -> T {
        let begin = ContinuousClock.now
        defer {
            let seconds = (ContinuousClock.now - begin).seconds
            latencies.withLock { $0.append(seconds) }
        }
        return try await body()
    }

    private func result() -> JSONObject {
        guard let start = start.withLock({ $0 }), let end = end.withLock({ $0 }) else { return [:] }
        let wall = (end.wall - start.wall).seconds
        let user = end.cpu.user - start.cpu.user
        let system = end.cpu.system - start.cpu.system
        var result: JSONObject = [
            "ops": .int(Int64(ops)),
            "wall_s": .double(rounded(wall, 4)),
            "ops_per_s_wall": .double(rounded(Double(ops) / wall, 1)),
            "wall_us_per_op": .double(rounded(wall / Double(ops) * 1e6, 1)),
            "client_cpu_s": .double(rounded(user + system, 4)),
            "client_cpu_user_s": .double(rounded(user, 4)),
            "client_cpu_sys_s": .double(rounded(system, 4)),
            "client_cpu_us_per_op": .double(rounded((user + system) / Double(ops) * 1e6, 1)),
            "client_cpu_share_of_wall": .double(rounded((user + system) / wall, 3)),
        ]
        if let before = start.requests, let after = end.requests {
            let requests = after.requests - before.requests
            result["http_requests"] = .int(Int64(requests))
            result["http_requests_per_op"] = .double(rounded(Double(requests) / Double(ops), 3))
            result["http_no_response"] = .int(Int64(requests - (after.responses - before.responses)))
            var bad: JSONObject = [:]
            for (status, count) in after.nonSuccess {
                let delta = count - (before.nonSuccess[status] ?? 0)
                if delta > 0 { bad[status] = .int(Int64(delta)) }
            }
            result["http_non_2xx"] = .object(bad)
        }
        if let before = start.server, let after = end.server {
            result["server_cpu_s"] = .double(rounded(after - before, 3))
            result["server_cpu_us_per_op"] = .double(rounded((after - before) / Double(ops) * 1e6, 1))
        }
        let sorted = latencies.withLock { $0 }.sorted()
        if !sorted.isEmpty {
            func percentile(_ q: Double) -> JSONValue {
                .double(rounded(sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] * 1e3, 3))
            }
            result["latency_ms"] = ["p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99), "max": percentile(1)]
        }
        result.merge(extra) { _, new in new }
        return result
    }
}

extension JSONObject {
    /// Stores a measurement (a JSON object) under `key`.
    subscript(measurement key: String) -> JSONObject? {
        get { if case .object(let object)? = self[key] { object } else { nil } }
        set { self[key] = newValue.map(JSONValue.object) }
    }
}

func rounded(_ value: Double, _ digits: Int) -> Double {
    guard value.isFinite else { return 0 }
    let scale = pow(10, Double(digits))
    return (value * scale).rounded() / scale
}
