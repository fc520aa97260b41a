import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-bench fill`: creates many flow runs on a server as fast as it takes them, then
/// prints the count and the rate; `server-compare.sh` reads the server's memory afterwards.
struct FillBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill", abstract: "Create N flow runs with C in flight (to load a server).")

    @Option(help: "Prefect API base URL, ending in /api.")
    var apiURL: String = "http://127.0.0.1:4200/api"
    @Option(help: "Flow runs to create.")
    var n: Int = 100_000
    @Option(help: "Creates in flight.")
    var concurrency: Int = 16

    func run() async throws {
        var settings = PrefectSettings(home: FileManager.default.temporaryDirectory.path)
        settings.apiURL = URL(string: apiURL)
        let client = try PrefectClient(settings: settings)
        let flowID = try await client.createFlowFromName("bench-fill")
        let n = self.n
        let concurrency = self.concurrency
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: n, by: concurrency) {
                        _ = try await client.createFlowRun(
                            flowID: flowID, name: "fill-\(index)", parameters: ["index": .int(Int64(index))], tags: ["fill"])
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).seconds
        try await client.shutdown()
        let result: JSONValue = [
            "created": .int(Int64(n)), "seconds": .double(seconds), "per_second": .double((Double(n) / seconds).rounded()),
        ]
        print(result.jsonText)
    }
}
