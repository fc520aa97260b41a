import Dispatch
import Foundation
import PrefectClient
import Synchronization

/// SIGINT and SIGTERM while flows run: every run still going is marked Crashed, the logs are
/// flushed, then the process exits with 128 + the signal's number — as Prefect's engine turns
/// the signal into a crash (`TerminationSignal` and `KeyboardInterrupt` through
/// `handle_crash`, `prefect/flow_engine.py`).
///
/// Installed once per process, on the first flow run of a runtime whose
/// ``PrefectRuntime/Configuration/crashesRunsOnTerminationSignal`` is on.
enum TerminationSignals {
    private struct Installed {
        var sources: [any DispatchSourceSignal] = []
        var runtimes: [ObjectIdentifier: PrefectRuntime] = [:]
        var handling = false
    }

    private static let installed = Mutex(Installed())

    /// Starts watching the signals (once) and includes `runtime`'s runs.
    static func watch(_ runtime: PrefectRuntime) {
        installed.withLock { installed in
            installed.runtimes[ObjectIdentifier(runtime)] = runtime
            guard installed.sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    Task { await handle(signalNumber) }
                }
                source.resume()
                installed.sources.append(source)
            }
        }
    }

    /// Prefect's crash message for the signal.
    static func message(for signalNumber: Int32) -> String {
        signalNumber == SIGINT
            ? "Execution was aborted by an interrupt signal." : "Execution was aborted by a termination signal."
    }

    private static func handle(_ signalNumber: Int32) async {
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
            await runtime.flushLogs(timeout: 5)
        }
        exit(128 + signalNumber)
    }
}

extension PrefectRuntime {
    /// Proposes Crashed (forced) for every run of this runtime that has not ended.
    func crashActiveRuns(message: String) async {
        let runs = activeRuns.all
        await withTaskGroup(of: Void.self) { group in
            for (run, client) in runs {
                group.addTask {
                    let proposer: StateProposer
                    switch run {
                    case .flow(let id): proposer = StateProposer(client: client, run: .flow(id))
                    case .task(let id): proposer = StateProposer(client: client, run: .task(id))
                    }
                    _ = await proposer.proposeShielded(.crashed(message: message), currentStateID: nil)
                }
            }
        }
    }
}
