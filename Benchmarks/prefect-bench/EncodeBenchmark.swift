import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-bench encode`: times encoding request bodies with ``PrefectJSONEncoder`` against
/// Foundation's `JSONEncoder`.
struct EncodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode", abstract: "Time encoding a task-run create body and a list of flow runs.")

    @Option(help: "A captured /flow_runs/filter response; its flow runs are the large payload.")
    var file: String

    @Option(help: "Timed encodes of each payload.")
    var repeats: Int = 2000

    func run() throws {
        let flowRuns = try PrefectJSON.decode([FlowRun].self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        let taskRun = TaskRunCreate(
            id: UUID(), state: State.pending().toStateCreate(), name: "add_one-0", flowRunID: UUID(),
            taskKey: "add_one-swiftbench", dynamicKey: "0", tags: ["bench"])
        var result: JSONObject = ["tool": "prefect-bench encode", "repeats": .int(Int64(repeats))]
        for (name, payload) in [("task_run_create", AnyPayload(taskRun)), ("flow_runs_\(flowRuns.count)", AnyPayload(flowRuns))] {
            let prefect = try time(repeats: name == "task_run_create" ? repeats : max(1, repeats / 50)) {
                try PrefectJSONEncoder().encode(payload)
            }
            let foundation = try time(repeats: name == "task_run_create" ? repeats : max(1, repeats / 50)) {
                try JSONEncoder().encode(payload)
            }
            result[name] = [
                "prefect_us_per_encode": .double(rounded(prefect, 2)),
                "foundation_us_per_encode": .double(rounded(foundation, 2)),
                "speedup": .double(rounded(foundation / prefect, 2)),
            ]
        }
        print(JSONValue.object(result).jsonText)
    }

    /// CPU µs per call of `body`, after a tenth as many warm-up calls.
    private func time(repeats: Int, _ body: () throws -> Data) throws -> Double {
        for _ in 0..<max(1, repeats / 10) { _ = try body() }
        let start = CPUTime.now()
        for _ in 0..<repeats { _ = try body() }
        return (CPUTime.now() - start) / Double(repeats) * 1e6
    }
}

/// A payload of either kind, encoded as what it wraps.
private struct AnyPayload: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
