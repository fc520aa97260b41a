import Dispatch
import Foundation
import Logging
import PrefectClient
import Synchronization

/// SIGINT and SIGTERM while flows run: every run still going is marked Crashed, the logs are
/// flushed, then the process exits with 128 + the signal's number — as Prefect's engine turns
/// the signal into a crash (`TerminationSignal` and `KeyboardInterrupt` through
/// `handle_crash`, `prefect/flow_engine.py`).
///
/// Installed once per process, on the first flow run of a runtime whose
/// ``PrefectRuntime/Configuration/crashesRunsOnTerminationSignal`` is on.
/// The signal itself is caught by a plain C handler that only writes its number to a pipe (the
/// one async-signal-safe thing it needs to do); a read source on the pipe's other end does the
/// rest. A dispatch signal source is not used: on Linux it reads a `signalfd`, which only sees
/// a signal blocked in every thread, and with the signal ignored elsewhere the kernel could
/// drop it (a run then went on as if nothing had been sent).
enum TerminationSignals {
    private struct Installed {
        var reader: (any DispatchSourceRead)?
        var runtimes: [ObjectIdentifier: PrefectRuntime] = [:]
        var shutdownHandlers: [UUID: @Sendable (Int32) async -> Void] = [:]
        var handling = false
    }

    private static let installed = Mutex(Installed())

    /// Starts watching the signals (once) and includes `runtime`'s runs.
    static func watch(_ runtime: PrefectRuntime) {
        installed.withLock { installed in
            installed.runtimes[ObjectIdentifier(runtime)] = runtime
            install(&installed)
        }
    }

    /// While `body` runs, a signal calls `shutdown` instead of crashing runs and exiting: a
    /// runner stops its polling, cancels its runs and returns, as Prefect's `handle_sigterm`.
    static func handlingShutdown<T>(
        _ shutdown: @escaping @Sendable (Int32) async -> Void, _ body: () async throws -> T
    ) async rethrows -> T {
        let key = UUID.version4()
        installed.withLock { installed in
            installed.shutdownHandlers[key] = shutdown
            install(&installed)
        }
        defer { installed.withLock { _ = $0.shutdownHandlers.removeValue(forKey: key) } }
        return try await body()
    }

    private static func install(_ installed: inout Installed) {
        guard installed.reader == nil, let pipe = SignalPipe.shared else { return }
        let reader = DispatchSource.makeReadSource(fileDescriptor: pipe.readEnd, queue: .global())
        reader.setEventHandler {
            var number: UInt8 = 0
            guard read(pipe.readEnd, &number, 1) == 1 else { return }
            Task { await handle(Int32(number)) }
        }
        reader.resume()
        installed.reader = reader
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalPipe.writeEnd, &byte, 1)
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Prefect's crash message for the signal.
    static func message(for signalNumber: Int32) -> String {
        signalNumber == SIGINT
            ? "Execution was aborted by an interrupt signal." : "Execution was aborted by a termination signal."
    }

    private static func handle(_ signalNumber: Int32) async {
        let shutdowns = installed.withLock { Array($0.shutdownHandlers.values) }
        if !shutdowns.isEmpty {
            for shutdown in shutdowns { await shutdown(signalNumber) }
            return
        }
        let runtimes = installed.withLock { installed -> [PrefectRuntime]? in
            guard !installed.handling else { return nil }
            installed.handling = true
            return Array(installed.runtimes.values)
        }
        guard let runtimes else { return }
        let message = message(for: signalNumber)
        await withTaskGroup(of: Void.self) { group in
            for runtime in runtimes {
                group.addTask { await runtime.crashActiveRuns(message: message) }
            }
        }
        for runtime in runtimes {
            await runtime.flushTaskRunEvents()
            await runtime.flushLogs(timeout: 5)
        }
        exit(128 + signalNumber)
    }
}

extension PrefectRuntime {
    /// Proposes Crashed (forced) for every run of this runtime that has not ended; a task run
    /// reported as events reports Crashed as its next event, as Prefect's task engine sets the
    /// crash state in `handle_crash`.
    func crashActiveRuns(message: String) async {
        let runs = activeRuns.all
        await withTaskGroup(of: Void.self) { group in
            for (run, entry) in runs {
                group.addTask {
                    if let events = entry.events {
                        _ = events.propose(.crashed(message: message))
                        return
                    }
                    let proposer: StateProposer
                    switch run {
                    case .flow(let id):
                        proposer = StateProposer(client: entry.client, run: .flow(id))
                        // A runner or worker stops a run the server is cancelling with this
                        // signal: it ends Cancelled, as Prefect's engine handles a cancel intent.
                        if let state = try? await entry.client.readFlowRun(flowRunID: id).state, state.isCancelling {
                            _ = await proposer.proposeShielded(.cancelled(message: "Flow run was cancelled."), currentStateID: nil)
                            return
                        }
                    case .task(let id): proposer = StateProposer(client: entry.client, run: .task(id))
                    }
                    _ = await proposer.proposeShielded(.crashed(message: message), currentStateID: nil)
                }
            }
        }
    }
}

/// The pipe between the signal handler and the read source.
private struct SignalPipe: Sendable {
    let readEnd: Int32

    /// The write end, read by the handler: a plain global set before any handler is installed,
    /// so the handler touches no lazily initialised state.
    nonisolated(unsafe) static var writeEnd: Int32 = -1

    /// Created on first use; `nil` if the process has no descriptors left.
    static let shared: SignalPipe? = {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        writeEnd = ends[1]
        return SignalPipe(readEnd: ends[0])
    }()
}
