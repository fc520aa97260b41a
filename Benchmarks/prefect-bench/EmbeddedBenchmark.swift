import ArgumentParser
import Foundation
import PrefectClient
import PrefectServer

/// `prefect-bench embedded`: `createFlowRun(flowID:)` through ``InProcessTransport`` into an
/// embedded server on a fresh database. Client and server share the process, so the CPU per op
/// is both together — the figure DESIGN.md's target (≤ 150 µs) is about.
struct EmbeddedBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedded", abstract: "In-process createFlowRun(flowID:) against the embedded server.")

    @Option(help: "Creates.")
    var n: Int = 5000
    @Option(help: "Creates in flight.")
    var concurrency: Int = 1
    @Option(help: "Database file (default: a fresh one in a temporary folder).")
    var database: String?

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try PrefectServerApp.open(databasePath: database ?? directory.appendingPathComponent("bench.db").path)
        defer { app.close() }
        let client = try PrefectClient(
            apiURL: EmbeddedPrefect.apiURL, transport: InProcessTransport(app: app), serverType: .ephemeral,
            settings: PrefectSettings(home: directory.path))
        let flowID = try await client.createFlowFromName("bench-embedded")
        for _ in 0..<200 { _ = try await client.createFlowRun(flowID: flowID) }
        let n = self.n
        let concurrency = self.concurrency
        var result = try await Meter(ops: n, counter: nil, serverPID: nil).measure { meter in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        for _ in stride(from: worker, to: n, by: concurrency) {
                            _ = try await meter.op { try await client.createFlowRun(flowID: flowID) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        result["what"] = "createFlowRun(flowID:) in-process, client and server CPU together"
        result["concurrency"] = .int(Int64(concurrency))
        try await client.shutdown()
        print(JSONValue.object(result).jsonText)
    }
}
