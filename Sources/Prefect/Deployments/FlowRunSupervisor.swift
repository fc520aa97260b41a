import Foundation
import Logging
import PrefectClient
import PrefectSchemas

/// How a supervised flow run executes.
enum FlowRunLaunch: Sendable {
    /// A process of its own; `temporaryDirectory` (its working directory, made for it) is
    /// removed once it exits.
    case process(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String?,
        temporaryDirectory: String?)
    /// A task of this process.
    case inProcess(@Sendable () async -> Void)
}

/// The polling and the runs in flight of a runner or a worker (Prefect's
/// `ScheduledRunPoller`, `FlowRunExecutor` and `CancellationManager`): every poll it asks
/// `due` for the runs to start (those due within the prefetch window), and each run is proposed
/// Pending and started as `launch` says `startLead` seconds before its scheduled time, at most
/// `limit` at once; a process that exits non-zero before its run reached a final state makes
/// it Crashed; a process whose run the server moved to Cancelling is stopped.
///
/// Unlike Prefect's runner and worker, which propose Pending at the poll and so hold a slot
/// until the run's time (the server holds its Running until then), a prefetched run waits here,
/// taking no slot, and starts when due or as soon as a slot frees — not at the next poll.
actor FlowRunSupervisor {
    private static let csrfSupportVariable = "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED"

    private struct InFlight {
        let task: Task<Void, Never>
        var process: SpawnedProcess?
    }

    private let name: String
    private let client: PrefectClient
    private let limit: Int?
    private let pollInterval: Double
    private let due: @Sendable () async throws -> [FlowRun]
    private let launch: @Sendable (FlowRun) async throws -> FlowRunLaunch
    private let logger: Logger
    /// The message of the Cancelled state of runs stopped by a shutdown.
    private let shutdownMessage: String
    /// Seconds before its scheduled time a run is started, so that its process is up by then.
    private let startLead: Double
    private var inFlight: [UUID: InFlight] = [:]
    /// The runs of the last poll not started yet, earliest first.
    private var waiting: [FlowRun] = []
    private var cancelling: Set<UUID> = []
    private var stopping = false

    init(
        name: String, logger: Logger, shutdownMessage: String, client: PrefectClient, limit: Int?, pollInterval: Double,
        startLead: Double = 1,
        due: @escaping @Sendable () async throws -> [FlowRun],
        launch: @escaping @Sendable (FlowRun) async throws -> FlowRunLaunch
    ) {
        self.name = name
        self.logger = logger
        self.shutdownMessage = shutdownMessage
        self.client = client
        self.limit = limit
        self.pollInterval = pollInterval
        self.startLead = startLead
        self.due = due
        self.launch = launch
    }

    /// Polls until ``stop(signal:)`` or cancellation, then cancels the runs in flight and waits
    /// for them. Runs start on a clock of their own, so a slow poll delays no start.
    ///
    /// - Parameter once: one poll, then wait for the runs it returned (`--run-once`).
    func run(once: Bool = false) async {
        let starter = Task { await self.startWhenDue() }
        while !stopping, !Task.isCancelled {
            do {
                try await poll()
            } catch is CancellationError {
                break
            } catch {
                logger.error("\(name) could not poll for runs: \(error)")
            }
            let wake = ContinuousClock.now + .wait(seconds: pollInterval)
            while !stopping, !Task.isCancelled, once || ContinuousClock.now < wake {
                if once, waiting.isEmpty, inFlight.isEmpty { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
            if once { break }
        }
        starter.cancel()
        await starter.value
        waiting = []
        await cancelAll(message: shutdownMessage)
        logger.info("\(name) stopped.")
    }

    /// Every 100 ms until stopped: the waiting runs that came due, started.
    private func startWhenDue() async {
        while !stopping, !Task.isCancelled {
            startDue()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Ends the polling (SIGINT or SIGTERM, as Prefect's `handle_sigterm`).
    func stop(signal: Int32) {
        logger.info("\(signal == SIGINT ? "SIGINT" : "SIGTERM") received, initiating graceful shutdown...")
        stopping = true
    }

    /// One poll: the runs it returns replace those waiting (a run no longer returned was taken
    /// or changed elsewhere); runs in processes of their own that the server is cancelling,
    /// stopped.
    private func poll() async throws {
        waiting = try await due().filter { inFlight[$0.id] == nil }.sorted { Self.startTime($0) < Self.startTime($1) }
        startDue(atPoll: true)
        let held = waiting.prefix { Self.startTime($0) <= Date() }.count
        if held > 0 { logger.info("\(held) scheduled runs waiting for a free slot (at capacity)") }
        try await stopCancelledProcesses()
    }

    /// Starts the waiting runs due within ``startLead`` seconds, earliest first, while the limit
    /// allows; those not started right after the poll that returned them are read again first
    /// (see ``execute(_:stale:)``).
    private func startDue(atPoll: Bool = false) {
        let horizon = Date().addingTimeInterval(startLead)
        while !stopping, let next = waiting.first, Self.startTime(next) <= horizon, limit.map({ inFlight.count < $0 }) ?? true {
            waiting.removeFirst()
            guard inFlight[next.id] == nil else { continue }
            logger.info("\(name) submitting flow run '\(next.id.prefectString)'")
            inFlight[next.id] = InFlight(task: Task { await self.execute(next, stale: !atPoll) }, process: nil)
        }
    }

    /// When a run is to start: its next scheduled start time, else its Scheduled state's time.
    private static func startTime(_ flowRun: FlowRun) -> Date {
        flowRun.nextScheduledStartTime ?? flowRun.state?.stateDetails.scheduledTime ?? .distantPast
    }

    /// Pending, then the run as `launch` says; a process that exits with a non-zero status
    /// before the run reached a final state makes it Crashed.
    ///
    /// A process is told what this one found out about the server's CSRF protection: where the
    /// server does not use it (Prefect's default), `PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=false`
    /// (unless the job sets it) spares each run's first request a `GET /csrf-token` that the
    /// server would refuse.
    ///
    /// A `stale` run (not started right after the poll that returned it, so another runner or
    /// worker may have taken it since) is read first and left alone unless it is still
    /// Scheduled. That read spares the run's history a proposal made in vain; it is not what
    /// keeps the run from running twice: a Pending that reaches a run another one finished in
    /// the meantime is undone without running it (``StateProposer/proposePending(currentStateID:)``).
    private func execute(_ fetchedRun: FlowRun, stale: Bool) async {
        defer { inFlight[fetchedRun.id] = nil }
        guard let flowRun = stale ? await stillScheduled(fetchedRun) : fetchedRun else { return }
        guard await proposePending(flowRun) else { return }
        let process: SpawnedProcess
        var temporaryDirectory: String?
        defer { if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) } }
        do {
            switch try await launch(flowRun) {
            case .inProcess(let body):
                await body()
                return
            case .process(let executable, let arguments, var environment, let workingDirectory, let temporary):
                temporaryDirectory = temporary
                if environment[Self.csrfSupportVariable] == nil, await !client.http.isCSRFSupportActive {
                    environment[Self.csrfSupportVariable] = "false"
                }
                process = try SpawnedProcess(
                    executable: executable, arguments: arguments, environment: environment, standardOutput: .inherit,
                    standardError: .inherit, workingDirectory: workingDirectory)
            }
        } catch {
            logger.error("Failed to submit flow run '\(flowRun.id.prefectString)' to infrastructure: \(error)")
            await propose(.failed(message: "Submission failed. \(error)"), flowRun.id)
            return
        }
        inFlight[flowRun.id]?.process = process
        logger.info("Opening process for flow run '\(flowRun.id.prefectString)' (pid \(process.pid))...")
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        let code = InfrastructureExit.returnCode(exitStatus: process.exitStatus ?? 0, signal: process.terminatingSignal)
        guard code != 0 else {
            logger.info("Process for flow run '\(flowRun.name)' exited cleanly.")
            return
        }
        let message = InfrastructureExit.crashMessage(code)
        logger.error("\(message)")
        guard !cancelling.contains(flowRun.id) else { return }
        if let state = try? await client.readFlowRun(flowRunID: flowRun.id).state, state.isFinal { return }
        await propose(.crashed(message: message), flowRun.id)
        logger.info("Reported flow run '\(flowRun.id.prefectString)' as crashed: \(message)")
    }

    /// The run as the server has it now, or nil when it is no longer Scheduled (or cannot be
    /// read: the next poll returns it again if it still waits).
    private func stillScheduled(_ flowRun: FlowRun) async -> FlowRun? {
        do {
            let current = try await client.readFlowRun(flowRunID: flowRun.id)
            guard current.state?.isScheduled == true else {
                logger.info("Skipped flow run '\(flowRun.id.prefectString)': it is \(current.state?.name ?? "without a state") now, no longer Scheduled")
                return nil
            }
            return current
        } catch {
            logger.error("Could not read flow run '\(flowRun.id.prefectString)' before starting it: \(error)")
            return nil
        }
    }

    /// Proposes Pending (taken at once; the run's engine waits for its time at Running); false
    /// when the run should not start (another runner or worker took it — also one that already
    /// finished it, see ``StateProposer/proposePending(currentStateID:)`` — or it was cancelled
    /// or deleted).
    private func proposePending(_ flowRun: FlowRun) async -> Bool {
        do {
            let outcome = try await StateProposer(client: client, run: .flow(flowRun.id)).proposePending(currentStateID: flowRun.state?.id)
            guard outcome.accepted, outcome.state.isPending else {
                logger.info("Aborted submission of flow run '\(flowRun.id.prefectString)': Server returned a non-pending state '\(outcome.state.type.rawValue)'")
                return false
            }
            return true
        } catch let aborted as ProposalAborted {
            logger.info("Aborted submission of flow run '\(flowRun.id.prefectString)'. Server sent an abort signal: \(aborted.reason)")
            return false
        } catch {
            logger.error("Failed to update state of flow run '\(flowRun.id.prefectString)': \(error)")
            return false
        }
    }

    private func propose(_ state: State, _ flowRunID: UUID) async {
        _ = await StateProposer(client: client, run: .flow(flowRunID)).proposeShielded(state, currentStateID: nil)
    }

    /// Runs in processes of their own that the server moved to Cancelling: stopped, then
    /// Cancelled (in-process runs notice it themselves, through the engine's cancellation poll).
    private func stopCancelledProcesses() async throws {
        let ids = inFlight.compactMap { $0.value.process == nil ? nil : $0.key }.filter { !cancelling.contains($0) }
        guard !ids.isEmpty else { return }
        let runs = try await client.readFlowRuns(
            flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: ids), state: FlowRunFilterState(type: FlowRunFilterStateType(any: [.cancelling]))))
        for flowRun in runs {
            await cancel(flowRun.id, message: "Flow run was cancelled successfully.")
        }
    }

    /// Stops every run in flight: the processes with SIGTERM after their runs were moved to
    /// Cancelling (so their engines record Cancelled), the in-process runs by cancelling their
    /// tasks; then waits for all of them.
    private func cancelAll(message: String) async {
        for (id, run) in inFlight where run.process != nil {
            await propose(.cancelling(message: message), id)
            await cancel(id, message: message)
        }
        for run in inFlight.values where run.process == nil { run.task.cancel() }
        for run in inFlight.values { await run.task.value }
    }

    /// SIGTERM to a run's process group, SIGKILL after 30 s, then Cancelled unless the run
    /// recorded a final state itself — Prefect's `CancellationManager.cancel`.
    private func cancel(_ flowRunID: UUID, message: String) async {
        guard let process = inFlight[flowRunID]?.process, !cancelling.contains(flowRunID) else { return }
        cancelling.insert(flowRunID)
        defer { cancelling.remove(flowRunID) }
        process.sendToGroup(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.sendToGroup(SIGKILL) }
        if let state = try? await client.readFlowRun(flowRunID: flowRunID).state, state.isFinal { return }
        await propose(.cancelled(message: message), flowRunID)
        logger.info("Cancelled flow run '\(flowRunID.prefectString)'")
    }
}
