public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`: standard input from `/dev/null`, its output
/// inherited or appended to files, every other descriptor of the parent closed in the child
/// (`posix_spawn_file_actions_addclosefrom_np`), in a process group of its own and with the
/// default signal dispositions — what Prefect's `run_process` (`prefect/utilities/processutils.py`)
/// gives the flow-run processes of runners and workers.
///
/// Foundation's `Process` is not used: on Linux it lists `/proc/self/fd` to close descriptors
/// and copies each entry's whole 256-byte `d_name`, reading past the end of its directory
/// buffer; once a process holds about 1,300 descriptors, the read can leave the heap's mapping
/// and the process dies of SIGSEGV in `memmove`.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t
    /// The wait status, once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    /// Where one of the child's output streams goes.
    public enum Output: Sendable {
        /// The parent's own descriptor.
        case inherit
        /// Appended to the file at this path (created when missing).
        case file(String)
    }

    /// Starts `executable`. Standard output and standard error are appended to the files at the
    /// two paths (the same path for both interleaves them).
    public convenience init(executable: String, arguments: [String], environment: [String: String], stdout: String, stderr: String) throws {
        try self.init(executable: executable, arguments: arguments, environment: environment, standardOutput: .file(stdout), standardError: .file(stderr))
    }

    /// Starts `executable` with `arguments` and exactly `environment`, in `workingDirectory`
    /// (the parent's when nil). An `executable` without a `/` is looked up in `PATH`.
    ///
    /// - Throws: ``SpawnError`` when the process cannot be started.
    public init(
        executable: String, arguments: [String], environment: [String: String], standardOutput: Output, standardError: Output,
        workingDirectory: String? = nil
    ) throws {
        let executable = try Self.resolve(executable, path: environment["PATH"])
        var actions = posix_spawn_file_actions_t()
        try Self.check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let workingDirectory {
            guard let addChdir = Self.addChdir else { throw SpawnError(operation: "posix_spawn_file_actions_addchdir_np", code: ENOSYS) }
            try Self.check(addChdir(&actions, workingDirectory), "addchdir_np \(workingDirectory)")
        }
        try Self.check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin")
        for (descriptor, output) in [(Int32(1), standardOutput), (Int32(2), standardError)] {
            guard case .file(let path) = output else { continue }
            try Self.check(
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_APPEND, 0o644),
                "addopen \(descriptor)")
        }
        guard let closeFrom = Self.addCloseFrom else { throw SpawnError(operation: "posix_spawn_file_actions_addclosefrom_np", code: ENOSYS) }
        try Self.check(closeFrom(&actions, 3), "addclosefrom_np")

        var attributes = posix_spawnattr_t()
        try Self.check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        try Self.check(posix_spawnattr_setsigmask(&attributes, &noSignals), "setsigmask")
        try Self.check(posix_spawnattr_setsigdefault(&attributes, &defaults), "setsigdefault")
        try Self.check(posix_spawnattr_setpgroup(&attributes, 0), "setpgroup")
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        try Self.check(posix_spawnattr_setflags(&attributes, Int16(flags)), "setflags")

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                guard let argvStart = argvBuffer.baseAddress, let envpStart = envpBuffer.baseAddress else { return EINVAL }
                return posix_spawn(&child, executable, &actions, &attributes, argvStart, envpStart)
            }
        }
        try Self.check(result, "posix_spawn \(executable)")
        pid = child
    }

    /// Whether the child has not exited yet (reaping it when it has).
    public var isRunning: Bool { waitStatus() == nil }

    /// The child's exit status, or 128 + the signal that ended it; nil while it runs.
    public var exitStatus: Int32? {
        guard let status = waitStatus() else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// The signal that ended the child, when one did; nil while it runs or when it exited.
    public var terminatingSignal: Int32? {
        guard let status = waitStatus() else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? nil : signal
    }

    /// Sends `signal` to the child's process group (the child and what it started), unless it
    /// has been reaped.
    public func sendToGroup(_ signal: Int32) {
        reaped.withLock { status in
            if status == nil { _ = kill(-pid, signal) }
        }
    }

    /// Sends `signal` to the child, unless it has been reaped (its pid may belong to another
    /// process by then).
    public func send(_ signal: Int32) {
        reaped.withLock { status in
            if status == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits (polling, up to `timeout`, then SIGKILL) for the child to end; its ``exitStatus``.
    public func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if isRunning {
            send(SIGKILL)
            while isRunning { try await Task.sleep(for: .milliseconds(5)) }
        }
        return exitStatus ?? -1
    }

    /// Blocks the calling thread until the child ends; its ``exitStatus``. For synchronous
    /// callers (`defer` blocks) of children that end promptly.
    @discardableResult
    public func waitBlocking() -> Int32 {
        while true {
            if let status = exitStatus { return status }
            usleep(2_000)
        }
    }

    private func waitStatus() -> Int32? {
        reaped.withLock { reaped in
            if let reaped { return reaped }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == -1, errno == ECHILD {
                // Reaped elsewhere: its status is lost; report exit status 255.
                reaped = 255 << 8
                return reaped
            }
            guard result == pid else { return nil }
            reaped = status
            return status
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run
    /// time: Swift's Glibc module does not declare it.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), looked up at run time.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// `executable` itself when it names a path, else the first executable of that name in
    /// `path` (`PATH`'s directories).
    private static func resolve(_ executable: String, path: String?) throws -> String {
        guard !executable.contains("/") else { return executable }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw SpawnError(operation: "looking up \(executable) in PATH", code: ENOENT)
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw SpawnError(operation: what, code: result) }
    }

    public struct SpawnError: Error, CustomStringConvertible, Sendable {
        public let operation: String
        public let code: Int32
        public var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
    }
}
