import Foundation
import Logging
import PrefectServer
import Synchronization

/// What runs flows and tasks: one `PrefectClient` shared by every run of the process, the
/// background worker that ships run logs, and the ``Configuration``.
///
/// ``shared`` is what flows use unless told otherwise: on its first use it connects to
/// `PREFECT_API_URL`, or, when that is not set, opens the embedded Prefect server on
/// `$PREFECT_HOME/prefect-swift.db` (Prefect's ephemeral mode, `prefect/client/orchestration`'s
/// `get_client`). Tests and programs with their own client make a runtime over it:
///
/// ```swift
/// let runtime = PrefectRuntime(client: client)
/// let total = try await etl.run(day, runtime: runtime)
/// await runtime.shutdown()
/// ```
public final class PrefectRuntime: Sendable {
    /// The process-wide runtime, configured from the environment and the active profile.
    public static let shared = PrefectRuntime()

    /// The runtime a run started in this task uses when none is named.
    @TaskLocal public static var current: PrefectRuntime = .shared

    /// How runs behave and ship logs.
    public let configuration: Configuration
    let logs: LogShipper
    private let provider: ClientProvider
    private let flowIDs = Mutex<[String: UUID]>([:])
    let activeRuns = ActiveRuns()
    let taskRunSlots: TaskRunSlots
    private let taskRunEventQueue = Mutex<(queue: TaskRunEventQueue, socket: PrefectEventsClient?)?>(nil)

    /// A runtime whose client is made on first use from `settings` (default: the environment
    /// and the active profile): remote when `PREFECT_API_URL` is set, embedded otherwise.
    public convenience init(settings: PrefectSettings? = nil, configuration: Configuration = .fromEnvironment()) {
        self.init(provider: ClientProvider(settings: settings), configuration: configuration)
    }

    /// A runtime over a client the caller made; ``shutdown()`` leaves that client open.
    public convenience init(client: PrefectClient, configuration: Configuration = .fromEnvironment()) {
        self.init(provider: ClientProvider(client: client), configuration: configuration)
    }

    private init(provider: ClientProvider, configuration: Configuration) {
        self.provider = provider
        self.configuration = configuration
        self.taskRunSlots = TaskRunSlots(limit: configuration.maxConcurrentTaskRuns)
        self.logs = LogShipper(configuration: configuration, client: { try await provider.client() })
    }

    /// The client every run of this runtime uses, made on the first call.
    ///
    /// - Throws: `PrefectClientConfigurationError` for bad settings, or the embedded
    ///   server's error when its database cannot be opened.
    public func client() async throws -> PrefectClient {
        try await provider.client()
    }

    /// Waits until every log record written so far has reached the API, at most `timeout`
    /// seconds (default: ``Configuration/logFlushTimeout``).
    ///
    /// - Returns: `false` when records were still unsent at the deadline; they stay queued.
    @discardableResult
    public func flushLogs(timeout: Double? = nil) async -> Bool {
        await logs.flush(timeout: timeout ?? configuration.logFlushTimeout)
    }

    /// Log records dropped so far because the buffer was full while the API could not be
    /// reached (each drop is also logged).
    public var droppedLogRecords: Int { logs.droppedCount }

    /// Log records written and not yet accepted by the API.
    public var unsentLogRecords: Int { logs.unsentCount }

    /// The queue of this runtime's task-run events (``Configuration/taskRunReporting``
    /// `events`), made on first use: to one websocket per runtime, or `POST /events` in-process.
    func taskRunEvents(client: PrefectClient) throws -> TaskRunEventQueue {
        if let made = madeTaskRunEventQueue { return made }
        // Few reconnections: past them, the events go by REST (SocketEventSink).
        let events = try client.eventsClient(reconnectionAttempts: 2)
        return taskRunEventQueue.withLock { current in
            if let current { return current.queue }
            let sink: any TaskRunEventSink = events.map { SocketEventSink(socket: $0, client: client) } ?? RESTEventSink(client: client)
            let queue = TaskRunEventQueue(sink: sink)
            current = (queue, events)
            return queue
        }
    }

    /// Waits until every task-run event queued so far was sent and the server confirmed it.
    func flushTaskRunEvents() async {
        await madeTaskRunEventQueue?.flush()
    }

    /// The queue of task-run events if a run already made it (`nil` before the first event).
    private var madeTaskRunEventQueue: TaskRunEventQueue? {
        taskRunEventQueue.withLock { $0?.queue }
    }

    /// Sends what the runs of this runtime left queued — task-run events, then logs — and
    /// waits until the events are written and the server took the logs; also from a cancelled
    /// run, so the wait is not cancelled with it. The server confirms the events at the
    /// socket's next checkpoint (every 700 events, every 30 s, and at ``shutdown()``), not
    /// before the run returns: waiting for a busy server to read them made a short flow's end
    /// as slow as the server (Prefect's engine does not wait for its events either).
    func flushRunReports() async {
        await Task {
            await madeTaskRunEventQueue?.sent()
            await flushLogs()
        }.value
    }

    /// Flushes the logs and task-run events, stops the log worker and closes the client if this
    /// runtime made it.
    public func shutdown() async {
        await flushTaskRunEvents()
        if let socket = taskRunEventQueue.withLock({ $0?.socket }) { try? await socket.close() }
        await flushLogs()
        await logs.stop()
        await provider.shutdown()
    }

    /// The database of the embedded server this runtime's client opens — its settings name no
    /// API — or nil (a remote server, or a client the caller made).
    func embeddedDatabasePath() throws -> String? {
        guard let settings = try provider.settingsForMadeClient(), settings.apiURL == nil else { return nil }
        return EmbeddedPrefect.defaultDatabasePath(settings: settings)
    }

    /// The id of the flow named `name`, created on first use (`POST /flows/`), then remembered.
    func flowID(named name: String, client: PrefectClient) async throws -> UUID {
        if let known = flowIDs.withLock({ $0[name] }) { return known }
        let id = try await client.createFlowFromName(name)
        flowIDs.withLock { $0[name] = id }
        return id
    }
}

/// Makes the runtime's client once, however many runs ask for it at the same time.
actor ClientProvider {
    private enum Source {
        case settings(PrefectSettings?)
        case given(PrefectClient)
    }

    private let source: Source
    private var made: Task<PrefectClient, any Error>?
    private nonisolated let ready = Mutex<PrefectClient?>(nil)

    init(settings: PrefectSettings?) {
        source = .settings(settings)
    }

    init(client: PrefectClient) {
        source = .given(client)
        ready.withLock { $0 = client }
    }

    /// The settings the client is made from, or nil for a client the caller gave.
    nonisolated func settingsForMadeClient() throws -> PrefectSettings? {
        guard case .settings(let settings) = source else { return nil }
        return try settings ?? PrefectSettings.load()
    }

    nonisolated func client() async throws -> PrefectClient {
        if let client = ready.withLock({ $0 }) { return client }
        return try await make()
    }

    private func make() async throws -> PrefectClient {
        if let made { return try await made.value }
        guard case .settings(let settings) = source else {
            preconditionFailure("a given client is ready from the start")
        }
        let task = Task<PrefectClient, any Error> {
            var logger = Logger(label: "prefect.client")
            logger.logLevel = .warning
            return try await PrefectClient.forSettings(settings ?? PrefectSettings.load(), logger: logger)
        }
        made = task
        do {
            let client = try await task.value
            ready.withLock { $0 = client }
            return client
        } catch {
            made = nil
            throw error
        }
    }

    func shutdown() async {
        guard case .settings = source, let client = ready.withLock({ $0 }) else { return }
        ready.withLock { $0 = nil }
        made = nil
        try? await client.shutdown()
    }
}
