public import Foundation

/// The client's settings, read as Prefect reads them: the environment first, then the active
/// profile in `profiles.toml`, then Prefect's defaults.
///
/// Names and defaults are Prefect 3.9.1's (`prefect/settings/models/api.py` and `client.py`).
public struct PrefectSettings: Sendable, CustomStringConvertible {
    /// `PREFECT_API_URL`: the API to talk to; `nil` means the embedded server.
    public var apiURL: URL?
    /// `PREFECT_API_KEY`: a Prefect Cloud API key.
    public var apiKey: String?
    /// `PREFECT_API_AUTH_STRING`: `user:password` for a server with basic auth.
    public var authString: String?
    /// `PREFECT_API_REQUEST_TIMEOUT`: seconds for connecting, each write and each wait; default 60.
    public var requestTimeout: Double
    /// `PREFECT_API_TLS_INSECURE_SKIP_VERIFY`: skip certificate checks; default false.
    public var tlsInsecureSkipVerify: Bool
    /// `PREFECT_API_SSL_CERT_FILE`: a PEM file of CA certificates to trust.
    public var sslCertFile: String?
    /// `PREFECT_API_ENABLE_HTTP2`: allow HTTP/2; default false.
    public var enableHTTP2: Bool
    /// `PREFECT_CLIENT_MAX_RETRIES`: retries per request; default 5.
    public var maxRetries: Int
    /// `PREFECT_CLIENT_RETRY_JITTER_FACTOR`: default 0.2.
    public var retryJitterFactor: Double
    /// `PREFECT_CLIENT_RETRY_EXTRA_CODES`: status codes retried besides 408, 429, 502, 503.
    public var retryExtraCodes: Set<Int>
    /// `PREFECT_CLIENT_CSRF_SUPPORT_ENABLED`: default true.
    public var csrfSupportEnabled: Bool
    /// `PREFECT_CLIENT_CUSTOM_HEADERS`: a JSON object of headers for every request.
    public var customHeaders: [String: String]
    /// `PREFECT_CLOUD_API_URL`: URLs below it are Prefect Cloud; default `https://api.prefect.cloud/api`.
    public var cloudAPIURL: String
    /// `PREFECT_HOME`: default `~/.prefect`.
    public var home: String
    /// `PREFECT_PROFILES_PATH`: default `$PREFECT_HOME/profiles.toml`.
    public var profilesPath: String
    /// The profile the settings were read from, if any.
    public var profileName: String?

    /// Prefect's defaults, with no API URL.
    public init(home: String = PrefectSettings.defaultHome()) {
        apiURL = nil
        apiKey = nil
        authString = nil
        requestTimeout = 60
        tlsInsecureSkipVerify = false
        sslCertFile = nil
        enableHTTP2 = false
        maxRetries = 5
        retryJitterFactor = 0.2
        retryExtraCodes = []
        csrfSupportEnabled = true
        customHeaders = [:]
        cloudAPIURL = "https://api.prefect.cloud/api"
        self.home = home
        profilesPath = home + "/profiles.toml"
        profileName = nil
    }

    /// `~/.prefect`.
    public static func defaultHome() -> String {
        let userHome = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return userHome + "/.prefect"
    }

    /// Reads the settings from `environment` and the active profile.
    ///
    /// - Throws: ``PrefectClientConfigurationError`` naming the setting whose value is invalid,
    ///   or an unreadable profiles file.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PrefectSettings {
        let (source, home) = try settingSource(environment: environment)
        var settings = PrefectSettings(home: home)
        settings.profilesPath = source.profilesPath
        settings.profileName = source.profileName
        settings.apiURL = try source.url("PREFECT_API_URL")
        settings.apiKey = source.text("PREFECT_API_KEY")
        settings.authString = source.text("PREFECT_API_AUTH_STRING")
        settings.requestTimeout = try source.number("PREFECT_API_REQUEST_TIMEOUT", minimum: 0) ?? 60
        settings.tlsInsecureSkipVerify = try source.flag("PREFECT_API_TLS_INSECURE_SKIP_VERIFY") ?? false
        settings.sslCertFile = source.text("PREFECT_API_SSL_CERT_FILE").map(expandTilde)
        settings.enableHTTP2 = try source.flag("PREFECT_API_ENABLE_HTTP2") ?? false
        settings.maxRetries = try source.wholeNumber("PREFECT_CLIENT_MAX_RETRIES", minimum: 0) ?? 5
        settings.retryJitterFactor = try source.number("PREFECT_CLIENT_RETRY_JITTER_FACTOR", minimum: 0) ?? 0.2
        settings.retryExtraCodes = try source.statusCodes("PREFECT_CLIENT_RETRY_EXTRA_CODES") ?? []
        settings.csrfSupportEnabled = try source.flag("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED") ?? true
        settings.customHeaders = try source.headers("PREFECT_CLIENT_CUSTOM_HEADERS") ?? [:]
        settings.cloudAPIURL = source.text("PREFECT_CLOUD_API_URL") ?? settings.cloudAPIURL
        return settings
    }

    /// Where settings are looked up for `environment`: it, then the active profile.
    package static func settingSource(environment: [String: String]) throws -> (source: SettingSource, home: String) {
        let home = environment["PREFECT_HOME"].map(expandTilde) ?? defaultHome()
        let profilesPath = environment["PREFECT_PROFILES_PATH"].map(expandTilde) ?? home + "/profiles.toml"
        let profiles = try PrefectProfiles.load(path: profilesPath)
        let profileName = environment["PREFECT_PROFILE"] ?? profiles.activeName
        var profileValues: [String: String] = [:]
        if let profileName {
            if let values = profiles.profiles[profileName] {
                profileValues = values
            } else if environment["PREFECT_PROFILE"] != nil {
                throw PrefectClientConfigurationError(
                    setting: "PREFECT_PROFILE", message: "no profile named '\(profileName)' in '\(profilesPath)'")
            }
        }
        let source = SettingSource(
            environment: environment, profile: profileValues, profileName: profileName, profilesPath: profilesPath)
        return (source, home)
    }

    /// Whether ``apiURL`` points at Prefect Cloud.
    public var isCloud: Bool {
        guard let apiURL else { return false }
        return apiURL.absoluteString.hasPrefix(cloudAPIURL)
    }

    /// Every setting; secrets show only whether they are set, custom headers only their names.
    public var description: String {
        var lines = [
            "PREFECT_API_URL=\(apiURL.map { RedactedURL.string($0.absoluteString) } ?? "<unset>")",
            "PREFECT_API_KEY=\(apiKey == nil ? "<unset>" : "<redacted>")",
            "PREFECT_API_AUTH_STRING=\(authString == nil ? "<unset>" : "<redacted>")",
            "PREFECT_API_REQUEST_TIMEOUT=\(requestTimeout)",
            "PREFECT_API_TLS_INSECURE_SKIP_VERIFY=\(tlsInsecureSkipVerify)",
            "PREFECT_API_SSL_CERT_FILE=\(sslCertFile ?? "<unset>")",
            "PREFECT_API_ENABLE_HTTP2=\(enableHTTP2)",
            "PREFECT_CLIENT_MAX_RETRIES=\(maxRetries)",
            "PREFECT_CLIENT_RETRY_JITTER_FACTOR=\(retryJitterFactor)",
            "PREFECT_CLIENT_RETRY_EXTRA_CODES=\(retryExtraCodes.sorted())",
            "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED=\(csrfSupportEnabled)",
            "PREFECT_CLIENT_CUSTOM_HEADERS=<\(customHeaders.count) header(s): \(customHeaders.keys.sorted().joined(separator: ", "))>",
            "PREFECT_HOME=\(home)",
            "PREFECT_PROFILES_PATH=\(profilesPath)",
        ]
        if let profileName { lines.append("profile=\(profileName)") }
        return lines.joined(separator: "\n")
    }

    /// `path` with a leading `~` replaced by the user's home folder.
    public static func expandingTilde(_ path: String) -> String {
        expandTilde(path)
    }

    static func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let userHome = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return userHome + path.dropFirst()
    }
}
