import Foundation
import PrefectSchemas

/// A worker for a `process` work pool: it runs each flow run of the pool as a process on this
/// machine — Prefect's `ProcessWorker` (`prefect/workers/process.py`, `prefect/workers/base.py`),
/// behind `prefect-swift worker start`.
///
/// It creates the pool with Prefect's process base job template when it is missing, sends a
/// heartbeat every ``heartbeatInterval`` seconds, and every ``pollInterval`` seconds asks the pool
/// (its ``workQueueNames``, or all of its queues) for runs due within ``prefetchSeconds``. Each run
/// is proposed Pending a second before its time (not at the poll, as Prefect's worker does: a
/// fetched run takes no slot until then), then started as the job the pool's template yields with
/// the deployment's and the run's job variables: the `command` (Prefect's `python -m
/// prefect.engine` when the job sets none) in `working_dir` (a fresh temporary directory when
/// none), with this process's environment, the job's `env`, `PREFECT_API_URL` and
/// `PREFECT__FLOW_RUN_ID`. A process that exits non-zero before its run reached a final state makes
/// it Crashed; a run moved to Cancelling has its process stopped and ends Cancelled. At most
/// ``limit`` runs at once (the server holds back runs beyond the pool's and queues' own limits).
/// SIGINT or SIGTERM stops polling, cancels the runs in flight and returns.
public struct ProcessWorker: Sendable {
    /// The pool it works for.
    public var workPoolName: String
    /// The pool's queues it takes runs from; empty for all of them.
    public var workQueueNames: [String]
    /// Its name, as the server lists the pool's workers (`ProcessWorker <uuid>` by default).
    public var name: String
    /// At most this many runs at once; nil for no limit of its own.
    public var limit: Int?
    /// Seconds between polls (`PREFECT_WORKER_QUERY_SECONDS`, default 10).
    public var pollInterval: Double
    /// Runs due within this many seconds are fetched at the poll before their time, and started
    /// when it comes (`PREFECT_WORKER_PREFETCH_SECONDS`, default 10).
    public var prefetchSeconds: Double
    /// Seconds between heartbeats (`PREFECT_WORKER_HEARTBEAT_SECONDS`, default 30).
    public var heartbeatInterval: Double
    /// The runtime whose client it uses.
    public var runtime: PrefectRuntime

    public init(
        workPoolName: String,
        workQueueNames: [String] = [],
        name: String? = nil,
        limit: Int? = nil,
        pollInterval: Double = WorkerSettings.seconds("PREFECT_WORKER_QUERY_SECONDS", default: 10),
        prefetchSeconds: Double = WorkerSettings.seconds("PREFECT_WORKER_PREFETCH_SECONDS", default: 10),
        heartbeatInterval: Double = WorkerSettings.seconds("PREFECT_WORKER_HEARTBEAT_SECONDS", default: 30),
        runtime: PrefectRuntime = .current
    ) {
        self.workPoolName = workPoolName
        self.workQueueNames = workQueueNames
        self.name = name ?? "ProcessWorker \(UUID.version4().prefectString)"
        self.limit = limit
        self.pollInterval = pollInterval
        self.prefetchSeconds = prefetchSeconds
        self.heartbeatInterval = heartbeatInterval
        self.runtime = runtime
    }

    /// Works until SIGINT, SIGTERM or the calling task's cancellation — or, with `once`, polls
    /// once and returns when the runs it started have ended (`--run-once`).
    ///
    /// - Throws: when the pool cannot be read or created (settings, an unreachable server).
    public func run(once: Bool = false) async throws {
        let client = try await runtime.client()
        let logger = Logger(label: "prefect.workers.process")
        let pool = try await ensurePool(client, logger: logger)
        if pool.type != "process" {
            logger.warning("Work pool '\(workPoolName)' is of type '\(pool.type)': this worker runs its jobs as processes.")
        }
        try await heartbeat(client)
        let poolName = workPoolName
        let queues = workQueueNames.isEmpty ? nil : workQueueNames
        let prefetch = prefetchSeconds
        let workerName = name
        let sources = WorkerJobSources(client: client, poolName: poolName, maxAge: pollInterval)
        let supervisor = FlowRunSupervisor(
            name: "Worker '\(name)'", logger: logger, shutdownMessage: "Worker is shutting down.", client: client,
            limit: limit, pollInterval: pollInterval,
            due: {
                try await client.getScheduledFlowRunsForWorkPool(
                    workPoolName: poolName, workQueueNames: queues, scheduledBefore: Date().addingTimeInterval(prefetch)
                ).map(\.flowRun)
            },
            launch: { flowRun in
                try await Self.launch(flowRun, client: client, sources: sources, workerName: workerName)
            })
        logger.info("Worker '\(name)' started, polling work pool '\(workPoolName)'.")
        let beats = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .wait(seconds: heartbeatInterval))
                guard !Task.isCancelled else { return }
                do {
                    try await heartbeat(client)
                } catch {
                    logger.warning("Worker '\(name)' could not send its heartbeat: \(error)")
                }
            }
        }
        defer { beats.cancel() }
        await TerminationSignals.handlingShutdown({ signal in await supervisor.stop(signal: signal) }) {
            await supervisor.run(once: once)
        }
    }

    private func heartbeat(_ client: PrefectClient) async throws {
        try await client.sendWorkerHeartbeat(
            workPoolName: workPoolName, workerName: name, heartbeatIntervalSeconds: heartbeatInterval)
    }

    /// The pool, created as a process pool with Prefect's base job template when missing.
    private func ensurePool(_ client: PrefectClient, logger: Logger) async throws -> WorkPool {
        do {
            return try await client.readWorkPool(workPoolName: workPoolName)
        } catch is ObjectNotFound {
            logger.info("Work pool '\(workPoolName)' does not exist: creating it as a process pool.")
            let template = try PrefectJSON.decode(JSONObject.self, from: Data(ProcessBaseJobTemplate.json.utf8))
            do {
                return try await client.createWorkPool(WorkPoolCreate(name: workPoolName, type: "process", baseJobTemplate: template))
            } catch is ObjectAlreadyExists {
                // Another worker made it meanwhile.
                return try await client.readWorkPool(workPoolName: workPoolName)
            }
        }
    }

    /// The process for `flowRun`: its job from the pool's template and the job variables of its
    /// deployment (each as read within the last poll interval) and of the run, and the
    /// environment Prefect's process worker gives it.
    private static func launch(_ flowRun: FlowRun, client: PrefectClient, sources: WorkerJobSources, workerName: String)
        async throws -> FlowRunLaunch
    {
        let pool = try await sources.workPool()
        let deployment = try await flowRun.deploymentID.asyncMap { try await sources.deployment($0) }
        let job = ProcessJobConfiguration.resolve(
            baseJobTemplate: pool.baseJobTemplate, deploymentVariables: deployment?.jobVariables ?? [:],
            flowRunVariables: flowRun.jobVariables ?? [:])
        let words = try ShellWords.split(job.command ?? ProcessJobConfiguration.defaultCommand)
        guard let executable = words.first else {
            throw PrefectDeploymentError(message: "The job's command is empty.")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PREFECT__WORKER_NAME"] = workerName
        environment["PREFECT__FLOW_ID"] = flowRun.flowID.prefectString
        environment[FlowRunEntrypoint.flowNameVariable] = try await sources.flowName(flowRun.flowID)
        if let deployment {
            environment["PREFECT__DEPLOYMENT_ID"] = deployment.id.prefectString
            environment["PREFECT__DEPLOYMENT_NAME"] = deployment.name
        }
        for (key, value) in job.env { environment[key] = value }
        environment["PREFECT_API_URL"] = client.apiURL
        environment[FlowRunEntrypoint.variable] = flowRun.id.prefectString
        var temporary: String?
        if job.workingDirectory == nil {
            let made = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-\(flowRun.id.prefectString)")
            try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
            temporary = made.path
        }
        return .process(
            executable: executable, arguments: Array(words.dropFirst()), environment: environment,
            workingDirectory: job.workingDirectory ?? temporary, temporaryDirectory: temporary)
    }
}

/// The worker's settings from the environment, with Prefect's defaults.
public enum WorkerSettings {
    /// A number of seconds from the variable `name`, or `default` when it is unset or not a
    /// finite positive number.
    public static func seconds(_ name: String, default value: Double) -> Double {
        guard let text = ProcessInfo.processInfo.environment[name], let seconds = Double(text), seconds.isFinite, seconds > 0
        else { return value }
        return min(seconds, 86_400)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
