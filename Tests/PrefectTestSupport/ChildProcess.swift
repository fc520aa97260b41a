public import Foundation
import PrefectClient

/// A program of this package run as a child process, for tests that read what it prints,
/// signal it and check how it exited. Its output goes to files (no pipe handlers on
/// background threads), read back whenever a test asks.
public final class ChildProcess: Sendable {
    private let process: SpawnedProcess
    private let directory: URL

    /// Starts `executable` with `arguments`; `environment` replaces the named variables of the
    /// test's own environment (a `nil` value removes one).
    public init(_ executable: URL, arguments: [String], environment: [String: String?] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment {
            variables[name] = value
        }
        process = try SpawnedProcess(
            executable: executable.path, arguments: arguments, environment: variables,
            stdout: directory.appendingPathComponent("out").path, stderr: directory.appendingPathComponent("err").path)
    }

    deinit {
        if process.isRunning { process.send(SIGTERM) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Standard output so far.
    public var output: String { read("out") }
    /// Standard error so far.
    public var errorOutput: String { read("err") }

    private func read(_ name: String) -> String {
        let data = (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The first whole line of standard output that starts with `prefix`, waiting up to `timeout`.
    public func line(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = output
            let complete = text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n") ?? text.startIndex)])
            if let line = complete.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if !process.isRunning || ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        process.send(signal)
    }

    /// Waits (up to `timeout`, then kills it) for the process to end; returns its exit status,
    /// or 128 + the signal that ended it.
    public func exitStatus(timeout: Duration = .seconds(120)) async throws -> Int32 {
        try await process.waitForExit(timeout: timeout)
    }
}
