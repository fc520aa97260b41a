import ArgumentParser
import Foundation
import PrefectClient
import PrefectServer

/// `prefect-bench client`: sections a–e of `shared/bench/python_client_bench.py`, with the same
/// definitions and the same JSON keys, so `summarize.py` tables both clients.
struct ClientBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Time the swift-prefect client against a Prefect server (sections a–e).")

    @Option(help: "Prefect API base URL, ending in /api.")
    var apiURL: String = ProcessInfo.processInfo.environment["PREFECT_API_URL"] ?? "http://127.0.0.1:4300/api"
    @Option(help: "Ops for a, b, d, e.")
    var n: Int = 500
    @Option(help: "In-flight ops for b.")
    var concurrency: Int = 16
    @Option(help: "Repeats for c.")
    var readRepeats: Int = 50
    @Option(help: "Limit for c.")
    var readLimit: Int = 200
    @Option(help: "Untimed warm-up ops per section.")
    var warmup: Int = 10
    @Option(help: "Comma list of a..e.")
    var sections: String = "a,b,c,d,e"
    @Option(help: "Server pid; adds server CPU per op (pid and descendants, from /proc).")
    var serverPID: Int32?
    @Option(help: "Idle seconds before each section.")
    var settle: Double = 3
    @Option(help: "Also write the JSON here.")
    var output: String?
    @Option(help: "nio (NIOHTTP1Transport, the default for http://) or ahc (AsyncHTTPClientTransport).")
    var transport: String = "nio"
    @Flag(help: "Run against an embedded server on a fresh database, over InProcessTransport (client CPU is then client and server together).")
    var embedded = false

    func run() async throws {
        let chosen = Set(sections.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-bench-\(UUID().uuidString)")
        var app: PrefectServerApp?
        if embedded {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            app = try PrefectServerApp.open(databasePath: directory.appendingPathComponent("bench.db").path)
        }
        defer {
            app?.close()
            try? FileManager.default.removeItem(at: directory)
        }
        guard let url = app != nil ? EmbeddedPrefect.apiURL : URL(string: apiURL) else {
            throw ValidationError("--api-url is not a URL")
        }
        let network: any HTTPTransport =
            if let app { InProcessTransport(app: app) } else if transport == "ahc" { AsyncHTTPClientTransport() } else { NIOHTTP1Transport() }
        let counter = CountingTransport(wrapping: network)
        let http = try PrefectHTTPClient(configuration: .init(apiURL: url), transport: counter)
        let client = PrefectClient(http: http)
        var meta: JSONObject = [
            "tool": "prefect-bench client",
            "date_utc": .string(ISO8601DateFormatter().string(from: Date())),
            "api_url": .string(url.absoluteString),
            "n": .int(Int64(n)), "concurrency": .int(Int64(concurrency)), "read_repeats": .int(Int64(readRepeats)),
            "read_limit": .int(Int64(readLimit)), "warmup": .int(Int64(warmup)),
            "sections": .array(chosen.sorted().map { .string($0) }),
            "server_pid": serverPID.map { .int(Int64($0)) } ?? .null,
            "prefect": .string("swift-prefect \(PrefectAPI.clientVersion)"),
            "swift_client": .string(PrefectAPI.userAgent),
            "transport": .string(embedded ? "InProcessTransport" : transport == "ahc" ? "AsyncHTTPClientTransport" : "NIOHTTP1Transport"),
            "nproc": .int(Int64(ProcessInfo.processInfo.activeProcessorCount)),
            "loadavg_start": LoadAverage.read(),
        ]
        meta["server_version"] = .string((try? await client.apiVersion()) ?? "unreachable")
        var results: JSONObject = [:]
        var errors: JSONObject = [:]
        let started = ContinuousClock.now
        let bench = ClientSections(
            client: client, counter: counter, serverPID: serverPID, n: n, concurrency: concurrency, warmup: warmup,
            readRepeats: readRepeats, readLimit: readLimit)
        do {
            try await bench.setup(into: &results)
            for section in ["a", "b", "c", "d", "e"] where chosen.contains(section) {
                try await Task.sleep(for: .seconds(settle))
                do {
                    try await bench.run(section, into: &results)
                } catch {
                    errors[section] = .string(String(describing: error).prefix(2000).description)
                }
            }
        } catch {
            errors["setup"] = .string(String(describing: error))
        }
        try await counter.shutdown()
        meta["total_wall_s"] = .double(rounded((ContinuousClock.now - started).seconds, 2))
        meta["loadavg_end"] = LoadAverage.read()
        let document: JSONValue = ["meta": .object(meta), "results": .object(results), "errors": .object(errors)]
        let text = document.jsonText
        if let output {
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output))
        }
        print(text)
    }
}

/// `/proc/loadavg` as three numbers, as Python's `os.getloadavg()`.
enum LoadAverage {
    static func read() -> JSONValue {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return .array(text.split(separator: " ").prefix(3).compactMap { Double($0) }.map { .double($0) })
    }
}
