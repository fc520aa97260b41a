import ArgumentParser
import Foundation
import PrefectClient

/// `prefect-bench health`: client CPU of the bare HTTP layer, `GET /health` in a loop.
struct HealthBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Time GET /health through the HTTP layer (the per-request floor).")

    @Option(help: "Prefect API base URL, ending in /api.")
    var apiURL: String = "http://127.0.0.1:4200/api"
    @Option(help: "Requests.")
    var n: Int = 1000
    @Option(help: "nio or ahc.")
    var transport: String = "nio"

    func run() async throws {
        guard let url = URL(string: apiURL) else { throw ValidationError("--api-url is not a URL") }
        let network: any HTTPTransport = transport == "ahc" ? AsyncHTTPClientTransport() : NIOHTTP1Transport()
        let http = try PrefectHTTPClient(configuration: .init(apiURL: url), transport: network)
        for _ in 0..<50 { _ = try await http.get("/health") }
        let result = try await Meter(ops: n, counter: nil, serverPID: nil).measure { m in
            for _ in 0..<n { _ = try await m.op { try await http.get("/health") } }
        }
        try await network.shutdown()
        print(JSONValue.object(result).jsonText)
    }
}
