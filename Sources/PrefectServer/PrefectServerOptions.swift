public import Foundation
import PrefectClient

/// The embedded server's protections, both off by default as in Prefect 3.9.1: CSRF tokens
/// for writes (`PREFECT_SERVER_CSRF_PROTECTION_ENABLED`, tokens living
/// `PREFECT_SERVER_CSRF_TOKEN_EXPIRATION`) and HTTP basic auth on every route but the health
/// check (`PREFECT_SERVER_API_AUTH_STRING`, `user:password`). Logs reach `/api/logs/out`
/// subscribers only when both `PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED` and
/// `PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED` are true, also off by default as in Prefect.
///
/// The auth string is a secret: its description shows only whether one is set.
public struct PrefectServerOptions: Sendable, CustomStringConvertible {
    /// Whether writes (`POST`, `PUT`, `PATCH`, `DELETE`) need a token from `GET /api/csrf-token`.
    public var csrfProtectionEnabled: Bool
    /// How long a CSRF token is valid, in seconds (Prefect's default is one hour).
    public var csrfTokenExpiration: TimeInterval
    /// The `user:password` every request must send as basic auth; nil for none.
    public var authString: String?
    /// Whether `/api/logs/out` streams the logs written (otherwise it accepts subscribers and
    /// sends them nothing, as Prefect does with its log stream off).
    public var logsStreamOutEnabled: Bool

    public init(
        csrfProtectionEnabled: Bool = false, csrfTokenExpiration: TimeInterval = 3600, authString: String? = nil,
        logsStreamOutEnabled: Bool = false
    ) {
        self.csrfProtectionEnabled = csrfProtectionEnabled
        self.csrfTokenExpiration = csrfTokenExpiration
        self.authString = authString
        self.logsStreamOutEnabled = logsStreamOutEnabled
    }

    /// The options the settings give, from the environment and then the active profile.
    ///
    /// - Throws: ``PrefectClientConfigurationError`` naming a setting that does not parse.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PrefectServerOptions {
        let source = try PrefectSettings.settingSource(environment: environment).source
        var options = PrefectServerOptions()
        options.csrfProtectionEnabled = try source.flag("PREFECT_SERVER_CSRF_PROTECTION_ENABLED") ?? false
        options.csrfTokenExpiration = try source.number("PREFECT_SERVER_CSRF_TOKEN_EXPIRATION", minimum: 0) ?? 3600
        options.authString = source.text("PREFECT_SERVER_API_AUTH_STRING")
        options.logsStreamOutEnabled = try source.flag("PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED") ?? false
            && source.flag("PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED") ?? false
        return options
    }

    public var description: String {
        "PrefectServerOptions(csrfProtectionEnabled: \(csrfProtectionEnabled), csrfTokenExpiration: \(csrfTokenExpiration), "
            + "authString: \(authString == nil ? "nil" : "<set>"), logsStreamOutEnabled: \(logsStreamOutEnabled))"
    }
}
