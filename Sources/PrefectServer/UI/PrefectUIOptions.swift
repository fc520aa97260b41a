public import Foundation
import PrefectClient

/// How `prefect-swift server start` serves Prefect's UI, from the settings Prefect 3.9.1 reads
/// (`prefect/settings/models/server/ui.py`, each also under its older `PREFECT_UI_*` name).
public struct PrefectUIOptions: Sendable, Equatable {
    /// `PREFECT_SERVER_UI_ENABLED`: whether the UI is served at all (default true).
    public var enabled: Bool
    /// `PREFECT_SERVER_UI_V2_ENABLED`: whether `/` opens the v2 UI rather than v1 for a browser
    /// without a saved choice (default true).
    public var v2Enabled: Bool
    /// `PREFECT_SERVER_UI_API_URL`: the API address the UI calls; nil for `PREFECT_API_URL`,
    /// else this server's own address.
    public var apiURL: String?
    /// `PREFECT_SERVER_UI_SERVE_BASE`: the path the v1 UI is served under (default `/`); v2 is
    /// under `<base>/v2`.
    public var serveBase: String
    /// `PREFECT_SERVER_UI_STATIC_DIRECTORY`: a directory holding the bundles (`v1/` and `v2/`,
    /// or one bundle at its root); nil to find them elsewhere.
    public var staticDirectory: String?
    /// `PREFECT_HOME`, where a downloaded bundle is kept.
    public var home: String
    /// `PREFECT_API_URL`, the UI's API address when `apiURL` is nil.
    public var clientAPIURL: String?
    /// `PREFECT_SWIFT_UI_WHEEL_URL`: where to download the `prefect` 3.9.1 wheel from (a mirror
    /// of PyPI's file); its SHA-256 is checked whatever the address.
    public var wheelURL: String

    public init(
        enabled: Bool = true, v2Enabled: Bool = true, apiURL: String? = nil, serveBase: String = "/",
        staticDirectory: String? = nil, home: String, clientAPIURL: String? = nil, wheelURL: String = PrefectUIWheel.pypiURL
    ) {
        self.enabled = enabled
        self.v2Enabled = v2Enabled
        self.apiURL = apiURL
        self.serveBase = serveBase
        self.staticDirectory = staticDirectory
        self.home = home
        self.clientAPIURL = clientAPIURL
        self.wheelURL = wheelURL
    }

    /// The options the settings give, from the environment and then the active profile.
    ///
    /// - Throws: ``PrefectClientConfigurationError`` naming a setting that does not parse.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PrefectUIOptions {
        let (source, home) = try PrefectSettings.settingSource(environment: environment)
        func text(_ suffix: String) -> String? { source.text("PREFECT_SERVER_UI_" + suffix) ?? source.text("PREFECT_UI_" + suffix) }
        func flag(_ suffix: String) throws -> Bool? {
            try source.flag("PREFECT_SERVER_UI_" + suffix) ?? source.flag("PREFECT_UI_" + suffix)
        }
        return PrefectUIOptions(
            enabled: try flag("ENABLED") ?? true,
            v2Enabled: try source.flag("PREFECT_SERVER_UI_V2_ENABLED") ?? true,
            apiURL: text("API_URL"),
            serveBase: text("SERVE_BASE") ?? "/",
            staticDirectory: text("STATIC_DIRECTORY"),
            home: home,
            clientAPIURL: source.text("PREFECT_API_URL"),
            wheelURL: source.text("PREFECT_SWIFT_UI_WHEEL_URL") ?? PrefectUIWheel.pypiURL)
    }
}
