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

    public var lateRuns: LateRuns
    public var pauseExpirations: PauseExpirations
    public var cancellationCleanup: CancellationCleanup
    public var scheduler: Scheduler
    public var repossessor: Repossessor

    public init(
        lateRuns: LateRuns = LateRuns(), pauseExpirations: PauseExpirations = PauseExpirations(),
        cancellationCleanup: CancellationCleanup = CancellationCleanup(), scheduler: Scheduler = Scheduler(),
        repossessor: Repossessor = Repossessor()
    ) {
        self.lateRuns = lateRuns
        self.pauseExpirations = pauseExpirations
        self.cancellationCleanup = cancellationCleanup
        self.scheduler = scheduler
        self.repossessor = repossessor
    }

    /// Every service off.
    public static var none: PrefectServerServices {
        PrefectServerServices(
            lateRuns: LateRuns(enabled: false), pauseExpirations: PauseExpirations(enabled: false),
            cancellationCleanup: CancellationCleanup(enabled: false), scheduler: Scheduler(enabled: false),
            repossessor: Repossessor(enabled: false))
    }

    /// The settings `PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED`, `…_LOOP_SECONDS`,
    /// `…_AFTER_SECONDS`, `PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED`, `…_LOOP_SECONDS`,
    /// `PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED`, `…_LOOP_SECONDS` and
    /// `…_CANCELLING_TIMEOUT_SECONDS`, and `PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED`,
    /// `…_LOOP_SECONDS`, `…_RECENT_DEPLOYMENTS_LOOP_SECONDS`, `…_DEPLOYMENT_BATCH_SIZE`,
    /// `…_MAX_RUNS`, `…_MIN_RUNS`, `…_MAX_SCHEDULED_TIME`, `…_MIN_SCHEDULED_TIME` (seconds) and
    /// `…_INSERT_BATCH_SIZE`, and `PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED` and
    /// `…_LOOP_SECONDS`, from the environment and then the active profile.
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
        return services
    }
}
