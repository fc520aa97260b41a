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

    public var lateRuns: LateRuns
    public var pauseExpirations: PauseExpirations
    public var cancellationCleanup: CancellationCleanup

    public init(
        lateRuns: LateRuns = LateRuns(), pauseExpirations: PauseExpirations = PauseExpirations(),
        cancellationCleanup: CancellationCleanup = CancellationCleanup()
    ) {
        self.lateRuns = lateRuns
        self.pauseExpirations = pauseExpirations
        self.cancellationCleanup = cancellationCleanup
    }

    /// Every service off.
    public static var none: PrefectServerServices {
        PrefectServerServices(
            lateRuns: LateRuns(enabled: false), pauseExpirations: PauseExpirations(enabled: false),
            cancellationCleanup: CancellationCleanup(enabled: false))
    }

    /// The settings `PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED`, `…_LOOP_SECONDS`,
    /// `…_AFTER_SECONDS`, `PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED`, `…_LOOP_SECONDS`,
    /// `PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED`, `…_LOOP_SECONDS` and
    /// `…_CANCELLING_TIMEOUT_SECONDS`, from the environment and then the active profile.
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
        return services
    }
}
