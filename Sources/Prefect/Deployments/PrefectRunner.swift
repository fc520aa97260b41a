import Foundation

/// Serves deployments: registers them, then runs their flow runs as they come due — Prefect's
/// `Runner` behind `flow.serve()` and `serve(*deployments)` (`prefect/runner/runner.py`).
///
/// Every ``pollInterval`` seconds the runner asks for its deployments' Scheduled runs due within
/// ``prefetchSeconds``; each is proposed Pending and started a second before its time (or as soon
/// as a slot frees, when it is late), at most ``limit`` at once — unlike Prefect's runner, which
/// proposes Pending at the poll and so holds a slot until the run's time. By default each run
/// executes in a process of its own — this program started again with `PREFECT__FLOW_RUN_ID` set,
/// where ``run()`` runs that one flow run and exits — so a crash ends only that run (Crashed, with
/// the exit status); ``Execution/inProcess`` runs them as tasks of this process instead. A run
/// moved to Cancelling is stopped and ends Cancelled. SIGINT or SIGTERM stops polling, cancels the
/// runs in flight ("Runner is shutting down."), pauses the deployments (``pauseOnShutdown``) and
/// returns.
///
/// ```swift
/// try await PrefectRunner(deployments: [
///     report.deployment(name: "every-minute", interval: 60),
///     cleanup.deployment(name: "nightly", cron: "0 3 * * *", timezone: "Europe/Paris"),
/// ]).run()
/// ```
public struct PrefectRunner: Sendable {
    /// Where a served run executes.
    public enum Execution: Sendable {
        /// A process of its own: this program again, with `PREFECT__FLOW_RUN_ID` set.
        case subprocess
        /// A task of the serving process (tests, light jobs; a crash takes the runner down).
        case inProcess
    }

    /// What it serves.
    public var deployments: [PrefectDeployment]
    /// Its name, in its logs.
    public var name: String
    /// At most this many runs at once (`PREFECT_RUNNER_PROCESS_LIMIT`, default 5); nil for no limit.
    public var limit: Int?
    /// Seconds between polls (`PREFECT_RUNNER_POLL_FREQUENCY`, default 10).
    public var pollInterval: Double
    /// Runs due within this many seconds are fetched at the poll before their time, and started
    /// when it comes.
    public var prefetchSeconds: Double
    public var execution: Execution
    /// Whether shutting down pauses the deployments' schedules, as Prefect's runner does.
    public var pauseOnShutdown: Bool
    /// The runtime whose client it uses and in which in-process runs execute.
    public var runtime: PrefectRuntime

    public init(
        deployments: [PrefectDeployment],
        name: String? = nil,
        limit: Int? = RunnerSettings.processLimit,
        pollInterval: Double = RunnerSettings.pollFrequency,
        prefetchSeconds: Double = 10,
        execution: Execution = .subprocess,
        pauseOnShutdown: Bool = true,
        runtime: PrefectRuntime = .current
    ) {
        self.deployments = deployments
        self.name = name ?? "runner-\(UUID.version4().prefectString)"
        self.limit = limit
        self.pollInterval = pollInterval
        self.prefetchSeconds = prefetchSeconds
        self.execution = execution
        self.pauseOnShutdown = pauseOnShutdown
        self.runtime = runtime
    }

    /// Serves the deployments until SIGINT, SIGTERM or the calling task's cancellation — or, in
    /// a process a runner or worker started for one flow run (`PREFECT__FLOW_RUN_ID`), runs that
    /// run and exits the process with 0 when it completed, 1 otherwise.
    ///
    /// - Throws: when the deployments cannot be registered (settings, an unreachable server).
    public func run() async throws {
        if let flowRunID = FlowRunEntrypoint.flowRunID {
            exit(await FlowRunEntrypoint.run(flowRunID, deployments: deployments, runtime: runtime))
        }
        try await serve()
    }

    /// Serves the deployments until SIGINT, SIGTERM or the calling task's cancellation.
    public func serve() async throws {
        let client = try await runtime.client()
        var execution = self.execution
        if execution == .subprocess, client.serverType == .ephemeral {
            // A process of its own could not reach a server that lives in this one.
            Logger(label: "prefect.runner").info(
                "The embedded server runs in this process: served runs execute in it, not in processes of their own.")
            execution = .inProcess
        }
        var served: [UUID: PrefectDeployment] = [:]
        for deployment in deployments {
            let id = try await deployment.apply(client: client, runtime: runtime, entrypoint: FlowRunProcess.entrypoint)
            served[id] = deployment
        }
        let runtime = self.runtime
        let prefetch = prefetchSeconds
        let deployments = served
        let mode = execution
        let deploymentIDs = Array(served.keys)
        let apiURL = client.apiURL
        let logger = Logger(label: "prefect.runner")
        let supervisor = FlowRunSupervisor(
            name: "Runner '\(name)'", logger: logger, shutdownMessage: "Runner is shutting down.", client: client,
            limit: limit, pollInterval: pollInterval,
            due: {
                try await client.getScheduledFlowRunsForDeployments(
                    deploymentIDs: deploymentIDs, scheduledBefore: Date().addingTimeInterval(prefetch))
            },
            launch: { flowRun in
                guard let id = flowRun.deploymentID, let deployment = deployments[id] else {
                    throw PrefectDeploymentError(message: "Flow run \(flowRun.id.prefectString) is not of a served deployment.")
                }
                switch mode {
                case .inProcess:
                    return .inProcess {
                        do {
                            _ = try await deployment.runFlowRun(flowRun.id, nil, runtime)
                        } catch {
                            logger.error("Flow run '\(flowRun.name)' could not be run: \(error)")
                        }
                    }
                case .subprocess:
                    return FlowRunProcess.launch(flowRun.id, flowName: deployment.flowName, apiURL: apiURL)
                }
            })
        logger.info("Runner '\(name)' started, serving \(self.deployments.map(\.qualifiedName).sorted().joined(separator: ", ")).")
        try await EmbeddedServices.around(runtime) {
            await TerminationSignals.handlingShutdown({ signal in await supervisor.stop(signal: signal) }) {
                await supervisor.run()
            }
        }
        if pauseOnShutdown {
            // Also when the serving task was cancelled: shielded from it.
            let ids = Array(served.keys)
            _ = try? await shielded {
                for id in ids { try await client.pauseDeployment(deploymentID: id) }
            }
        }
    }
}

extension PrefectFlow {
    /// Serves this flow as the deployment `name` until SIGINT or SIGTERM — Prefect's
    /// `flow.serve(...)`. The options are ``deployment(name:interval:cron:rrule:timezone:schedules:parameters:tags:description:version:concurrencyLimit:paused:enforceParameterSchema:workPoolName:workQueueName:jobVariables:)``'s
    /// and ``PrefectRunner``'s.
    public func serve(
        name: String,
        interval: Double? = nil,
        cron: String? = nil,
        rrule: String? = nil,
        timezone: String? = nil,
        parameters: JSONObject = [:],
        tags: [String] = [],
        description: String? = nil,
        version: String? = nil,
        concurrencyLimit: Int? = nil,
        paused: Bool = false,
        enforceParameterSchema: Bool = true,
        limit: Int? = RunnerSettings.processLimit,
        execution: PrefectRunner.Execution = .subprocess,
        runtime: PrefectRuntime = .current
    ) async throws {
        let deployment = deployment(
            name: name, interval: interval, cron: cron, rrule: rrule, timezone: timezone, parameters: parameters,
            tags: tags, description: description, version: version, concurrencyLimit: concurrencyLimit, paused: paused,
            enforceParameterSchema: enforceParameterSchema)
        try await PrefectRunner(deployments: [deployment], limit: limit, execution: execution, runtime: runtime).run()
    }
}

/// The runner's settings from the environment, with Prefect's defaults.
public enum RunnerSettings {
    /// `PREFECT_RUNNER_PROCESS_LIMIT` (default 5).
    public static var processLimit: Int? {
        ProcessInfo.processInfo.environment["PREFECT_RUNNER_PROCESS_LIMIT"].flatMap { Int($0) }.map { max(1, $0) } ?? 5
    }

    /// `PREFECT_RUNNER_POLL_FREQUENCY` (default 10 s).
    public static var pollFrequency: Double {
        ProcessInfo.processInfo.environment["PREFECT_RUNNER_POLL_FREQUENCY"].flatMap { Double($0) }
            .map { $0.isFinite ? min(max(0.05, $0), 86_400) : 10 } ?? 10
    }
}
