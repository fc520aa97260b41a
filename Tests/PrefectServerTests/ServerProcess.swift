import Foundation

/// `prefect-swift server start` as a child process, for tests that need a real process (kill
/// it, restart it, time it).
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let apiURL: URL
    private let output: Pipe

    /// The `prefect-swift` built next to the test bundle, or `PREFECT_SWIFT_CLI`.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["PREFECT_SWIFT_CLI"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("prefect-swift")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "prefect-swift")
    }

    /// Starts the server on a free port and waits (up to 10 s) for the URL it prints.
    init(database: String, arguments: [String] = []) throws {
        process.executableURL = Self.executable
        process.arguments = ["server", "start", "--port", "0", "--database", database] + arguments
        output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(10)
        let handle = output.fileHandleForReading
        while Date() < deadline, !text.contains("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PREFECT_API_URL=") }),
            let url = URL(string: String(line.dropFirst("PREFECT_API_URL=".count)))
        else {
            process.terminate()
            throw Failure(output: text)
        }
        apiURL = url
    }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    struct Failure: Error, CustomStringConvertible {
        let output: String
        var description: String { "prefect-swift server start did not print its URL: \(output)" }
    }
}
