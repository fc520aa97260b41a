public import Foundation
import PrefectClient

/// The background services of the embedded server and their settings, named and defaulted as
/// Prefect 3.9.1's (`prefect/settings/models/server/services.py`). `prefect-swift server start`
/// runs the enabled ones (none with `--no-services`); tests give them short intervals.
public struct PrefectServerServices: Sendable {
    /// `MarkLateRuns`: Scheduled runs more than `afterSeconds` past their time become Late.
    public struct LateRuns: Sendable {
        public var enabled = true
        public var loopSeconds: TimeInterval = 5
        public var afterSeconds: TimeInterval = 15

        public init(enabled: Bool = true, loopSeconds: TimeInterval = 5, afterSeconds: TimeInterval = 15) {
            self.enabled = enabled
            self.loopSeconds = loopSeconds
            self.afterSeconds = afterSeconds
        }
    }

    /// `FailExpiredPauses`: Paused runs past their `pause_timeout` become Failed.
    public struct PauseExpirations: Sendable {
        public var enabled = true
        public var loopSeconds: TimeInterval = 5

        public init(enabled: Bool = true, loopSeconds: TimeInterval = 5) {
            self.enabled = enabled
            self.loopSeconds = loopSeconds
        }
    }

    /// `CancellationCleanup`: the task runs and subflows of cancelled flow runs are cancelled,
    /// and runs stuck Cancelling past `cancellingTimeoutSeconds` become Cancelled.
    public struct CancellationCleanup: Sendable {
        public var enabled = true
        public var loopSeconds: TimeInterval = 20
        public var cancellingTimeoutSeconds: TimeInterval = 300

        public init(enabled: Bool = true, loopSeconds: TimeInterval = 20, cancellingTimeoutSeconds: TimeInterval = 300) {
            self.enabled = enabled
            self.loopSeconds = loopSeconds
            self.cancellingTimeoutSeconds = cancellingTimeoutSeconds
        }
    }

    /// `Scheduler`: the auto-scheduled runs of deployments' active schedules, every
    /// `loopSeconds` for deployments short of runs and every `recentDeploymentsLoopSeconds` for
    /// those just created or changed.
    public struct Scheduler: Sendable {
        public var enabled = true
        public var loopSeconds: TimeInterval = 60
        public var recentDeploymentsLoopSeconds: TimeInterval = 5
        public var deploymentBatchSize = 100
        public var maxRuns = 100
        public var minRuns = 3
        public var maxScheduledTime: TimeInterval = 100 * 86_400
        public var minScheduledTime: TimeInterval = 3600
        public var insertBatchSize = 500

        public init(enabled: Bool = true, loopSeconds: TimeInterval = 60, recentDeploymentsLoopSeconds: TimeInterval = 5) {
            self.enabled = enabled
            self.loopSeconds = loopSeconds
            self.recentDeploymentsLoopSeconds = recentDeploymentsLoopSeconds
        }
    }

    /// `Repossessor`: expired concurrency leases give their slots back.
    public struct Repossessor: Sendable {
        public var enabled = true
        public var loopSeconds: TimeInterval = 15

        public init(enabled: Bool = true, loopSeconds: TimeInterval = 15) {
            self.enabled = enabled
            self.loopSeconds = loopSeconds
        }
    }

    /// `Foreman`: workers without recent heartbeats go OFFLINE; pools without ONLINE workers,
    /// and deployments and queues not polled within their timeouts, go NOT_READY.
    public struct Foreman: Sendable {
        public var enabled = true
        public var loopSeconds: TimeInterval = 15
        public var inactivityHeartbeatMultiple = 3
        public var fallbackHeartbeatIntervalSeconds = 30
        public var deploymentLastPolledTimeoutSeconds: TimeInterval = 60
        public var workQueueLastPolledTimeoutSeconds: TimeInterval = 60

        public init(enabled: Bool = true, loopSeconds: TimeInterval = 15) {
            self.enabled = enabled
            self.loopSeconds = loopSeconds
        }
    }

    /// `ReactiveTriggers` and `ProactiveTriggers`: automations' event triggers evaluated on
    /// every event, proactive ones every `proactiveGranularity` seconds; buckets kept
    /// `expiredBucketBuffer` seconds past their end.
    public struct Triggers: Sendable {
        public var enabled = true
        public var proactiveGranularity: TimeInterval = 5
        public var expiredBucketBuffer: TimeInterval = 60

        public init(enabled: Bool = true, proactiveGranularity: TimeInterval = 5, expiredBucketBuffer: TimeInterval = 60) {
            self.enabled = enabled
            self.proactiveGranularity = proactiveGranularity
            self.expiredBucketBuffer = expiredBucketBuffer
        }
    }

    /// `Actions`: the actions of automations that fired are carried out.
    public struct Actions: Sendable {
        public var enabled = true

        public init(enabled: Bool = true) {
            self.enabled = enabled
        }
    }

    public var lateRuns: LateRuns
    public var pauseExpirations: PauseExpirations
    public var cancellationCleanup: CancellationCleanup
    public var scheduler: Scheduler
    public var repossessor: Repossessor
    public var triggers: Triggers
    public var actions: Actions
    public var foreman: Foreman

    public init(
        lateRuns: LateRuns = LateRuns(), pauseExpirations: PauseExpirations = PauseExpirations(),
        cancellationCleanup: CancellationCleanup = CancellationCleanup(), scheduler: Scheduler = Scheduler(),
        repossessor: Repossessor = Repossessor(), triggers: Triggers = Triggers(), actions: Actions = Actions(),
        foreman: Foreman = Foreman()
    ) {
        self.lateRuns = lateRuns
        self.pauseExpirations = pauseExpirations
        self.cancellationCleanup = cancellationCleanup
        self.scheduler = scheduler
        self.repossessor = repossessor
        self.triggers = triggers
        self.actions = actions
        self.foreman = foreman
    }

    /// Every service off.
    public static var none: PrefectServerServices {
        PrefectServerServices(
            lateRuns: LateRuns(enabled: false), pauseExpirations: PauseExpirations(enabled: false),
            cancellationCleanup: CancellationCleanup(enabled: false), scheduler: Scheduler(enabled: false),
            repossessor: Repossessor(enabled: false), triggers: Triggers(enabled: false), actions: Actions(enabled: false),
            foreman: Foreman(enabled: false))
    }

    /// The settings `PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED`, `…_LOOP_SECONDS`,
    /// `…_AFTER_SECONDS`, `PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED`, `…_LOOP_SECONDS`,
    /// `PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED`, `…_LOOP_SECONDS` and
    /// `…_CANCELLING_TIMEOUT_SECONDS`, and `PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED`,
    /// `…_LOOP_SECONDS`, `…_RECENT_DEPLOYMENTS_LOOP_SECONDS`, `…_DEPLOYMENT_BATCH_SIZE`,
    /// `…_MAX_RUNS`, `…_MIN_RUNS`, `…_MAX_SCHEDULED_TIME`, `…_MIN_SCHEDULED_TIME` (seconds) and
    /// `…_INSERT_BATCH_SIZE`, and `PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED` and
    /// `…_LOOP_SECONDS`, and `PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED`,
    /// `PREFECT_SERVER_EVENTS_PROACTIVE_GRANULARITY`, `PREFECT_SERVER_EVENTS_EXPIRED_BUCKET_BUFFER`
    /// (seconds; also without `SERVER_`), `PREFECT_SERVER_SERVICES_ACTIONS_ENABLED`, and
    /// `PREFECT_SERVER_SERVICES_FOREMAN_ENABLED`, `…_LOOP_SECONDS`, `…_INACTIVITY_HEARTBEAT_MULTIPLE`,
    /// `…_FALLBACK_HEARTBEAT_INTERVAL_SECONDS`, `…_DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS` and
    /// `…_WORK_QUEUE_LAST_POLLED_TIMEOUT_SECONDS`, from the environment and then the active profile.
    ///
    /// - Throws: ``PrefectClientConfigurationError`` naming a setting that does not parse.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PrefectServerServices {
        let source = try PrefectSettings.settingSource(environment: environment).source
        var services = PrefectServerServices()
        let late = "PREFECT_SERVER_SERVICES_LATE_RUNS_"
        services.lateRuns.enabled = try source.flag(late + "ENABLED") ?? true
        services.lateRuns.loopSeconds = try source.number(late + "LOOP_SECONDS", minimum: 0.01) ?? 5
        services.lateRuns.afterSeconds = try source.number(late + "AFTER_SECONDS", minimum: 0) ?? 15
        let pauses = "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_"
        services.pauseExpirations.enabled = try source.flag(pauses + "ENABLED") ?? true
        services.pauseExpirations.loopSeconds = try source.number(pauses + "LOOP_SECONDS", minimum: 0.01) ?? 5
        let cleanup = "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_"
        services.cancellationCleanup.enabled = try source.flag(cleanup + "ENABLED") ?? true
        services.cancellationCleanup.loopSeconds = try source.number(cleanup + "LOOP_SECONDS", minimum: 0.01) ?? 20
        services.cancellationCleanup.cancellingTimeoutSeconds =
            try source.number(cleanup + "CANCELLING_TIMEOUT_SECONDS", minimum: 0) ?? 300
        let scheduler = "PREFECT_SERVER_SERVICES_SCHEDULER_"
        services.scheduler.enabled = try source.flag(scheduler + "ENABLED") ?? true
        services.scheduler.loopSeconds = try source.number(scheduler + "LOOP_SECONDS", minimum: 0.01) ?? 60
        services.scheduler.recentDeploymentsLoopSeconds =
            try source.number(scheduler + "RECENT_DEPLOYMENTS_LOOP_SECONDS", minimum: 0.01) ?? 5
        services.scheduler.deploymentBatchSize = try source.wholeNumber(scheduler + "DEPLOYMENT_BATCH_SIZE", minimum: 1) ?? 100
        services.scheduler.maxRuns = try source.wholeNumber(scheduler + "MAX_RUNS", minimum: 1) ?? 100
        services.scheduler.minRuns = try source.wholeNumber(scheduler + "MIN_RUNS", minimum: 0) ?? 3
        services.scheduler.maxScheduledTime = try source.number(scheduler + "MAX_SCHEDULED_TIME", minimum: 0) ?? 100 * 86_400
        services.scheduler.minScheduledTime = try source.number(scheduler + "MIN_SCHEDULED_TIME", minimum: 0) ?? 3600
        services.scheduler.insertBatchSize = try source.wholeNumber(scheduler + "INSERT_BATCH_SIZE", minimum: 1) ?? 500
        let repossessor = "PREFECT_SERVER_SERVICES_REPOSSESSOR_"
        services.repossessor.enabled = try source.flag(repossessor + "ENABLED") ?? true
        services.repossessor.loopSeconds = try source.number(repossessor + "LOOP_SECONDS", minimum: 0.01) ?? 15
        services.triggers.enabled = try source.flag("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED") ?? true
        services.triggers.proactiveGranularity = try source.number("PREFECT_SERVER_EVENTS_PROACTIVE_GRANULARITY", minimum: 0.01)
            ?? source.number("PREFECT_EVENTS_PROACTIVE_GRANULARITY", minimum: 0.01) ?? 5
        services.triggers.expiredBucketBuffer = try source.number("PREFECT_SERVER_EVENTS_EXPIRED_BUCKET_BUFFER", minimum: 0)
            ?? source.number("PREFECT_EVENTS_EXPIRED_BUCKET_BUFFER", minimum: 0) ?? 60
        services.actions.enabled = try source.flag("PREFECT_SERVER_SERVICES_ACTIONS_ENABLED") ?? true
        let foreman = "PREFECT_SERVER_SERVICES_FOREMAN_"
        services.foreman.enabled = try source.flag(foreman + "ENABLED") ?? true
        services.foreman.loopSeconds = try source.number(foreman + "LOOP_SECONDS", minimum: 0.01) ?? 15
        services.foreman.inactivityHeartbeatMultiple = try source.wholeNumber(foreman + "INACTIVITY_HEARTBEAT_MULTIPLE", minimum: 1) ?? 3
        services.foreman.fallbackHeartbeatIntervalSeconds =
            try source.wholeNumber(foreman + "FALLBACK_HEARTBEAT_INTERVAL_SECONDS", minimum: 1) ?? 30
        services.foreman.deploymentLastPolledTimeoutSeconds =
            try source.number(foreman + "DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS", minimum: 0) ?? 60
        services.foreman.workQueueLastPolledTimeoutSeconds =
            try source.number(foreman + "WORK_QUEUE_LAST_POLLED_TIMEOUT_SECONDS", minimum: 0) ?? 60
        return services
    }
}
