import Foundation
import PrefectClient
import PrefectTestSupport
import Synchronization
import Testing

/// `prefect-swift server start` as a child process, for tests that need a real process (kill
/// it, restart it, time it).
final class ServerProcess: Sendable {
    let process: SpawnedProcess
    let apiURL: URL
    /// What the server printed up to its URL (warnings included).
    let startupOutput: String
    /// Where its standard output and standard error go.
    private let outputFile: URL

    /// The `prefect-swift` built next to the test bundle, or `PREFECT_SWIFT_CLI`.
    static var executable: URL { BuiltExecutable.url("prefect-swift", override: "PREFECT_SWIFT_CLI") }

    /// Starts the server on a free port and waits (up to 30 s) for the URL it prints;
    /// `environment` is added to this process's. The UI is off unless `environment` turns it on.
    /// It waits asleep, not blocking a thread of the test process's shared pool.
    init(database: String, arguments: [String] = [], environment: [String: String] = [:]) async throws {
        outputFile = URL(fileURLWithPath: database + ".server-output")
        try? FileManager.default.removeItem(at: outputFile)
        process = try SpawnedProcess(
            executable: Self.executable.path, arguments: ["server", "start", "--port", "0", "--database", database] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(["PREFECT_SERVER_UI_ENABLED": "false"]) { _, off in off }
                .merging(environment) { _, given in given },
            stdout: outputFile.path, stderr: outputFile.path)
        var text = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !Self.hasURLLine(text), process.isRunning {
            try await Task.sleep(for: .milliseconds(10))
            text = Self.read(outputFile)
        }
        text = Self.read(outputFile)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PREFECT_API_URL=") }),
            let url = URL(string: String(line.dropFirst("PREFECT_API_URL=".count)))
        else {
            process.send(SIGTERM)
            throw Failure(output: text)
        }
        apiURL = url
        startupOutput = text
    }

    private static func read(_ file: URL) -> String {
        String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
    }

    private static func hasURLLine(_ text: String) -> Bool {
        guard let start = text.range(of: "PREFECT_API_URL=") else { return false }
        return text[start.upperBound...].contains("\n")
    }

    /// Sends `signal` and waits for the server to exit.
    func kill(_ signal: Int32) {
        process.send(signal)
        process.waitBlocking()
    }

    /// What the server printed after its URL, once it has exited.
    func outputAfterExit() -> String {
        String(Self.read(outputFile).dropFirst(startupOutput.count))
    }

    struct Failure: Error, CustomStringConvertible {
        let output: String
        var description: String { "prefect-swift server start did not print its URL: \(output)" }
    }
}

/// A throw-away folder for a server process's database, and settings for clients of it that
/// fail at once instead of retrying (so a stopped server ends their loops).
struct ScratchFolder {
    let directory: URL
    var database: String { directory.appendingPathComponent("prefect.db").path }

    init(_ prefix: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func settings(apiURL: URL) -> PrefectSettings {
        var settings = PrefectSettings(home: directory.path)
        settings.apiURL = apiURL
        settings.maxRetries = 0
        settings.requestTimeout = 5
        return settings
    }
}

/// The ids of the flow runs whose creation a server answered.
final class AnsweredRuns: Sendable {
    let ids = Mutex<[UUID]>([])

    var count: Int { ids.withLock { $0.count } }

    /// Creates flow runs of `flowID` from `writers` concurrent tasks until each gets an error.
    func createUntilFailure(_ client: PrefectClient, flowID: UUID, writers: Int) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    while let run = try? await client.createFlowRun(flowID: flowID) {
                        self.ids.withLock { $0.append(run.id) }
                    }
                }
            }
        }
    }

    /// Waits until `count` creates were answered (60 s at most), then runs `action`, which stops
    /// the server either way.
    func after(_ count: Int, _ action: @Sendable () -> Void) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while self.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        action()
        #expect(self.count >= count, "the server answered \(self.count) creates before the deadline")
    }
}
