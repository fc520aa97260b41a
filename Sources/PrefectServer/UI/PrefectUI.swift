public import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Prefect 3.9.1's UI, served by `prefect-swift server start` as `prefect server start` serves it
/// (`create_ui_app` in `prefect/server/api/server.py`): the v1 bundle under
/// `PREFECT_UI_SERVE_BASE`, v2 under `<base>/v2`, `/ui-settings`, and a browser opening `/` sent
/// to the UI it last chose (cookie `prefect_ui_version`) or to the default one.
///
/// The bundles are Prefect's own, found by ``prepare(options:serverOptions:progress:)``.
public final class PrefectUI: Sendable {
    let paths: UIPaths
    private let bundles: [(version: UIVersion, files: UIStaticFiles)]
    private let configuredDefault: UIVersion
    private let configuredAPIURL: String?
    private let csrfEnabled: Bool
    private let usesAuth: Bool
    private let listeningAPIURL = Mutex<String?>(nil)

    /// Where the bundles were found.
    public let origin: String

    init(bundles: UIBundleDirectories, options: PrefectUIOptions, serverOptions: PrefectServerOptions) {
        paths = UIPaths(serveBase: options.serveBase)
        let paths = self.paths
        self.bundles = UIVersion.allCases.compactMap { version in
            bundles.directory(version).map {
                (version, UIStaticFiles(directory: $0, base: version == .v1 ? paths.v1Base : paths.v2Base))
            }
        }
        configuredDefault = options.v2Enabled ? .v2 : .v1
        configuredAPIURL = options.apiURL ?? options.clientAPIURL
        csrfEnabled = serverOptions.csrfProtectionEnabled
        usesAuth = serverOptions.authString != nil
        origin = bundles.origin
    }

    /// The UI, with bundles from `PREFECT_UI_STATIC_DIRECTORY`, the download cache, a local
    /// `prefect` 3.9.1 install or, failing those, a download of Prefect 3.9.1's wheel.
    ///
    /// - Returns: the UI, or why there is none (the UI is off, or no bundle could be had).
    public static func prepare(
        options: PrefectUIOptions, serverOptions: PrefectServerOptions,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: @Sendable (String) -> Void = { _ in }
    ) async -> Result<PrefectUI, PrefectUIUnavailable> {
        guard options.enabled else { return .failure(.disabled) }
        if let directory = options.staticDirectory {
            guard let found = UIBundleLocator.staticDirectory(directory) else {
                return .failure(.notFound("PREFECT_UI_STATIC_DIRECTORY (\(directory)) holds no UI bundle (v1/index.html or v2/index.html)"))
            }
            return .success(PrefectUI(bundles: found, options: options, serverOptions: serverOptions))
        }
        if let found = PrefectUIWheel.cached(home: options.home) ?? UIBundleLocator.localInstall(environment: environment) {
            return .success(PrefectUI(bundles: found, options: options, serverOptions: serverOptions))
        }
        do {
            let found = try await PrefectUIWheel.download(from: options.wheelURL, home: options.home, progress: progress)
            return .success(PrefectUI(bundles: found, options: options, serverOptions: serverOptions))
        } catch {
            return .failure(.notFound("\(error)"))
        }
    }

    /// Records the address the server listens on: the UI's API address unless
    /// `PREFECT_UI_API_URL` or `PREFECT_API_URL` names another.
    public func serverIsListening(apiURL: String) {
        listeningAPIURL.withLock { $0 = apiURL }
    }

    /// The address a browser opens: the default UI's base under `root` (`http://host:port`).
    public func address(root: String) -> String {
        root + UIPaths.build(base(of: defaultUI), "/")
    }

    /// Whether `path` is the UI's rather than the API's.
    static func isUIPath(_ path: String) -> Bool {
        path != "/api" && !path.hasPrefix("/api/")
    }

    /// The answer to a request outside `/api`.
    func respond(to request: Request) -> Response {
        let path = request.uri.path.isEmpty ? "/" : request.uri.path
        if path == paths.settingsPath {
            guard request.method == .get else { return UIStaticFiles.methodNotAllowed() }
            return JSONResponse.make(settings())
        }
        if let redirect = redirectToPreferredUI(request, path: path) { return redirect }
        if let v2 = files(.v2), UIPaths.targets(path, base: paths.v2Base) {
            return v2.respond(to: request, relativePath: UIPaths.relative(path, base: paths.v2Base), fullPath: path)
        }
        if let v1 = files(.v1), UIPaths.targets(path, base: paths.v1Base) {
            return v1.respond(to: request, relativePath: UIPaths.relative(path, base: paths.v1Base), fullPath: path)
        }
        return UIStaticFiles.notFound()
    }

    /// Prefect's `redirect_to_preferred_ui`: a browser opening v1's root, or v2 when only v1 is
    /// served, goes to the UI it prefers.
    private func redirectToPreferredUI(_ request: Request, path: String) -> Response? {
        guard UIRequest.isHTMLNavigation(request), !bundles.isEmpty, !path.hasSuffix("/ui-settings") else { return nil }
        let requested: UIVersion
        let relative: String
        if UIPaths.targets(path, base: paths.v2Base) {
            (requested, relative) = (.v2, UIPaths.relative(path, base: paths.v2Base))
            if files(.v2) != nil { return nil }
        } else if UIPaths.targets(path, base: paths.v1Base) {
            (requested, relative) = (.v1, UIPaths.relative(path, base: paths.v1Base))
            if relative != "/" { return nil }
        } else {
            return nil
        }
        let cookie = UIRequest.cookie(UIRequest.versionCookie, in: request).flatMap(UIVersion.init(rawValue:))
        let preferred = cookie.flatMap { files($0) == nil ? nil : $0 } ?? defaultUI
        guard preferred != requested else { return nil }
        return UIStaticFiles.redirect(to: UIPaths.build(base(of: preferred), relative), query: request.uri.query)
    }

    private func files(_ version: UIVersion) -> UIStaticFiles? {
        bundles.first { $0.version == version }?.files
    }

    private func base(of version: UIVersion) -> String { version == .v1 ? paths.v1Base : paths.v2Base }

    private var availableUIs: [UIVersion] { bundles.map(\.version) }

    private var defaultUI: UIVersion {
        availableUIs.contains(configuredDefault) ? configuredDefault : availableUIs.first ?? configuredDefault
    }

    /// Prefect's `UISettings` (`prefect/server/schemas/ui.py`).
    struct Settings: Encodable {
        let api_url: String
        let csrf_enabled: Bool
        let auth: String?
        let flags: [String]
        let default_ui: String
        let available_uis: [String]
        let v1_base_url: String?
        let v2_base_url: String?

        func encode(to encoder: any Encoder) throws {
            enum Keys: String, CodingKey {
                case api_url, csrf_enabled, auth, flags, default_ui, available_uis, v1_base_url, v2_base_url
            }
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(api_url, forKey: .api_url)
            try container.encode(csrf_enabled, forKey: .csrf_enabled)
            try container.encode(auth, forKey: .auth)
            try container.encode(flags, forKey: .flags)
            try container.encode(default_ui, forKey: .default_ui)
            try container.encode(available_uis, forKey: .available_uis)
            try container.encode(v1_base_url, forKey: .v1_base_url)
            try container.encode(v2_base_url, forKey: .v2_base_url)
        }
    }

    func settings() -> Settings {
        Settings(
            api_url: configuredAPIURL ?? listeningAPIURL.withLock { $0 } ?? "http://127.0.0.1:4200/api",
            csrf_enabled: csrfEnabled, auth: usesAuth ? "BASIC" : nil, flags: [],
            default_ui: defaultUI.rawValue, available_uis: availableUIs.map(\.rawValue),
            v1_base_url: files(.v1) == nil ? nil : paths.v1Base,
            v2_base_url: files(.v2) == nil ? nil : paths.v2Base)
    }
}

/// Why the server serves no UI.
public enum PrefectUIUnavailable: Error, Sendable, CustomStringConvertible {
    /// `PREFECT_UI_ENABLED` is false, or `--no-ui`.
    case disabled
    /// No bundle could be found or downloaded; says why.
    case notFound(String)

    public var description: String {
        switch self {
        case .disabled: "The dashboard is disabled. Set `PREFECT_UI_ENABLED=1` to re-enable it."
        case .notFound(let reason): "The dashboard is not served: \(reason)."
        }
    }
}
