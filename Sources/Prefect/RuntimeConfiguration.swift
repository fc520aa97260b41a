public import Foundation
public import Logging

extension PrefectRuntime {
    /// How the runtime runs flows and ships their logs; defaults are Prefect 3.9.1's
    /// (`prefect/settings/models/logging.py`), each readable, under the name Prefect uses, from
    /// the environment or the active profile as the client's settings are.
    public struct Configuration: Sendable {
        /// Send run logs to `POST /logs/` (`PREFECT_LOGGING_TO_API_ENABLED`, default `true`).
        public var logsToAPI = true
        /// The lowest level a run logger records (`PREFECT_LOGGING_LEVEL`, default `INFO`).
        public var logLevel: Logger.Level = .info
        /// Seconds between log batches (`PREFECT_LOGGING_TO_API_BATCH_INTERVAL`, default 2).
        public var logBatchInterval: Double = 2
        /// Bytes of log records in one batch (`PREFECT_LOGGING_TO_API_BATCH_SIZE`, default 4,000,000).
        public var logBatchBytes = 4_000_000
        /// A record's message is cut to this many bytes (`PREFECT_LOGGING_TO_API_MAX_LOG_SIZE`,
        /// default 1,000,000).
        public var maxLogBytes = 1_000_000
        /// Bytes of unsent records kept in memory while the API cannot be reached; the oldest
        /// are dropped past it, and their count is logged (`PREFECT_SWIFT_LOGGING_MAX_BUFFER`,
        /// default 64 MiB).
        public var maxBufferedLogBytes = 64 << 20
        /// Also print run logs to standard error, as Prefect's console handler does
        /// (`PREFECT_SWIFT_LOGGING_CONSOLE`, default `true`).
        public var consoleLogs = true
        /// Seconds between reads of a running flow run's state, to notice that the server moved
        /// it to Cancelling (`PREFECT_SWIFT_CANCELLATION_POLL_SECONDS`, default 10).
        public var cancellationPollInterval: Double = 10
        /// How long the end of a flow run waits for its logs to reach the API before it returns
        /// anyway (`PREFECT_SWIFT_LOGGING_FLUSH_TIMEOUT`, default 10 seconds).
        public var logFlushTimeout: Double = 10
        /// On SIGINT or SIGTERM, mark the runs still going Crashed, flush the logs and exit,
        /// as Prefect's engine does (`PREFECT_SWIFT_CRASH_ON_SIGNAL`, default `true`). Turn it
        /// off in a program that handles these signals itself (a service under
        /// swift-service-lifecycle, say), and cancel its flows instead: they record Cancelled.
        public var crashesRunsOnTerminationSignal = true
        /// Where task results are persisted (`PREFECT_LOCAL_STORAGE_PATH`, default
        /// `$PREFECT_HOME/storage`).
        public var localStoragePath = PrefectSettings.defaultHome() + "/storage"
        /// Persist the results of tasks that say nothing about it
        /// (`PREFECT_RESULTS_PERSIST_BY_DEFAULT`, default `false`); a task with a cache policy
        /// of its own persists its results either way, as in Prefect.
        public var persistResultsByDefault = false
        /// Ignore stored results and run every cached task again, storing anew
        /// (`PREFECT_TASKS_REFRESH_CACHE`, default `false`).
        public var refreshCache = false
        /// Task runs of this runtime that run at once; more wait their turn
        /// (`PREFECT_TASK_RUNNER_THREAD_POOL_MAX_WORKERS`; default as Prefect's thread pool,
        /// `min(32, cores + 4)`).
        public var maxConcurrentTaskRuns = min(32, ProcessInfo.processInfo.activeProcessorCount + 4)
        /// How task runs reach the server (`PREFECT_SWIFT_TASK_RUN_REPORTING`: `events`, the
        /// default, as Prefect 3.9.1's engine, or `rest`).
        public var taskRunReporting: TaskRunReporting = .events
        /// Seconds between a running flow run's `prefect.flow-run.heartbeat` events
        /// (`PREFECT_FLOWS_HEARTBEAT_FREQUENCY`, default 180, at least 30); nil for none.
        public var heartbeatFrequency: Double? = 180

        public init() {}

        /// The defaults, overridden by the settings named above (environment, then profile).
        public static func fromEnvironment(
            _ environment: [String: String] = ProcessInfo.processInfo.environment
        ) -> Configuration {
            var configuration = Configuration()
            // The client's lookup (environment, then the active profile, with Prefect's
            // parsing); a value that does not parse keeps the default, as an unreadable
            // profiles file keeps them all.
            let found = try? PrefectSettings.settingSource(environment: environment)
            func number(_ name: String) -> Double? { (try? found?.source.number(name, minimum: 0)) ?? nil }
            // Whole numbers as Prefect's integer settings parse them ("1e300" is no count).
            func count(_ name: String, minimum: Int = 0) -> Int? {
                (try? found?.source.wholeNumber(name, minimum: minimum)) ?? nil
            }
            func flag(_ name: String) -> Bool? { (try? found?.source.flag(name)) ?? nil }
            func text(_ name: String) -> String? { found?.source.text(name) }
            configuration.logsToAPI = flag("PREFECT_LOGGING_TO_API_ENABLED") ?? configuration.logsToAPI
            if let level = text("PREFECT_LOGGING_LEVEL").flatMap(Self.level) { configuration.logLevel = level }
            configuration.logBatchInterval = number("PREFECT_LOGGING_TO_API_BATCH_INTERVAL") ?? configuration.logBatchInterval
            configuration.logBatchBytes = count("PREFECT_LOGGING_TO_API_BATCH_SIZE") ?? configuration.logBatchBytes
            configuration.maxLogBytes = count("PREFECT_LOGGING_TO_API_MAX_LOG_SIZE") ?? configuration.maxLogBytes
            configuration.maxBufferedLogBytes =
                count("PREFECT_SWIFT_LOGGING_MAX_BUFFER") ?? configuration.maxBufferedLogBytes
            configuration.consoleLogs = flag("PREFECT_SWIFT_LOGGING_CONSOLE") ?? configuration.consoleLogs
            configuration.cancellationPollInterval =
                number("PREFECT_SWIFT_CANCELLATION_POLL_SECONDS") ?? configuration.cancellationPollInterval
            configuration.logFlushTimeout = number("PREFECT_SWIFT_LOGGING_FLUSH_TIMEOUT") ?? configuration.logFlushTimeout
            let home = found?.home ?? PrefectSettings.defaultHome()
            configuration.localStoragePath =
                text("PREFECT_LOCAL_STORAGE_PATH").map(PrefectSettings.expandingTilde) ?? home + "/storage"
            configuration.persistResultsByDefault =
                flag("PREFECT_RESULTS_PERSIST_BY_DEFAULT") ?? configuration.persistResultsByDefault
            configuration.refreshCache = flag("PREFECT_TASKS_REFRESH_CACHE") ?? configuration.refreshCache
            if let workers = count("PREFECT_TASK_RUNNER_THREAD_POOL_MAX_WORKERS", minimum: 1) {
                configuration.maxConcurrentTaskRuns = workers
            }
            configuration.crashesRunsOnTerminationSignal =
                flag("PREFECT_SWIFT_CRASH_ON_SIGNAL") ?? configuration.crashesRunsOnTerminationSignal
            if let heartbeat = text("PREFECT_FLOWS_HEARTBEAT_FREQUENCY") ?? text("PREFECT_RUNNER_HEARTBEAT_FREQUENCY") {
                let off = ["", "none", "null"].contains(heartbeat.lowercased().trimmingCharacters(in: .whitespaces))
                configuration.heartbeatFrequency =
                    off ? nil : Double(heartbeat).flatMap { $0.isFinite ? min(max($0, 30), 86_400) : nil } ?? configuration.heartbeatFrequency
            }
            configuration.taskRunReporting =
                text("PREFECT_SWIFT_TASK_RUN_REPORTING").flatMap { TaskRunReporting(rawValue: $0.lowercased()) } ?? configuration.taskRunReporting
            return configuration
        }

        /// Prefect's level names (`DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`) as swift-log levels.
        static func level(_ name: String) -> Logger.Level? {
            switch name.uppercased().trimmingCharacters(in: .whitespaces) {
            case "TRACE": .trace
            case "DEBUG": .debug
            case "INFO": .info
            case "NOTICE": .notice
            case "WARNING", "WARN": .warning
            case "ERROR": .error
            case "CRITICAL": .critical
            default: nil
            }
        }
    }
}

extension Logger.Level {
    /// The number Prefect (Python's `logging`) stores for this level.
    var prefectLevel: Int {
        switch self {
        case .trace: 5
        case .debug: 10
        case .info: 20
        case .notice: 25
        case .warning: 30
        case .error: 40
        case .critical: 50
        }
    }
}
