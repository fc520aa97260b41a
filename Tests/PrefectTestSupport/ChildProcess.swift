public import Foundation
import Synchronization

/// A program of this package run as a child process, with what it prints collected as it
/// comes, for tests that read its output, signal it and check how it exited.
public final class ChildProcess: Sendable {
    private let process: Process
    private let collected = Collected()

    /// Starts `executable` with `arguments`; `environment` replaces the named variables of the
    /// test's own environment (a `nil` value removes one).
    public init(_ executable: URL, arguments: [String], environment: [String: String?] = [:]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment {
            variables[name] = value
        }
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        self.process = process
        let collected = self.collected
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            collected.bytes.withLock { $0.out.append(chunk) }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            collected.bytes.withLock { $0.err.append(chunk) }
        }
        try process.run()
    }

    /// Standard output so far.
    public var output: String { String(decoding: collected.bytes.withLock { $0.out }, as: UTF8.self) }
    /// Standard error so far.
    public var errorOutput: String { String(decoding: collected.bytes.withLock { $0.err }, as: UTF8.self) }

    /// The first line of standard output that starts with `prefix`, waiting up to `timeout`.
    public func line(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }).map(String.init)
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits (up to `timeout`, then kills it) for the process to end; returns its exit status,
    /// or 128 + the signal that ended it.
    public func exitStatus(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try await Task.sleep(for: .milliseconds(50))
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}

/// The bytes a child process printed, filled from its pipes' handlers.
private final class Collected: Sendable {
    let bytes = Mutex<(out: Data, err: Data)>((Data(), Data()))
}
