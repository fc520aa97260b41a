public import Foundation

extension PrefectSettings {
    /// One setting as `prefect config view --show-sources` shows it.
    public struct Entry: Sendable, Hashable {
        /// Where a value came from.
        public enum Origin: Sendable, Hashable, CustomStringConvertible {
            case environment
            case profile(String)
            case `default`

            public var description: String {
                switch self {
                case .environment: "env"
                case .profile(let name): "profile '\(name)'"
                case .default: "default"
                }
            }
        }

        /// The setting's name, e.g. `PREFECT_API_URL`.
        public let name: String
        /// Its value as text, secrets masked (`********`), custom headers by name only.
        public let value: String
        /// Where the value came from.
        public let origin: Origin
    }

    /// Every client setting with its value and where it came from — the environment, the
    /// active profile, or Prefect's default — secrets masked, as `prefect config view
    /// --show-sources --show-defaults` lists them.
    ///
    /// - Throws: what ``load(environment:)`` throws for an invalid value or profiles file.
    public static func entries(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Entry] {
        let settings = try load(environment: environment)
        let (source, _) = try settingSource(environment: environment)
        func origin(_ name: String) -> Entry.Origin {
            guard let (_, where_) = source.lookup(name) else { return .default }
            return where_ == "environment" ? .environment : .profile(source.profileName ?? "")
        }
        let masked = "********"
        let values: [(String, String)] = [
            ("PREFECT_API_URL", settings.apiURL.map { RedactedURL.string($0.absoluteString) } ?? "None"),
            ("PREFECT_API_KEY", settings.apiKey == nil ? "None" : masked),
            ("PREFECT_API_AUTH_STRING", settings.authString == nil ? "None" : masked),
            ("PREFECT_API_REQUEST_TIMEOUT", "\(settings.requestTimeout)"),
            ("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "\(settings.tlsInsecureSkipVerify)"),
            ("PREFECT_API_SSL_CERT_FILE", settings.sslCertFile ?? "None"),
            ("PREFECT_API_ENABLE_HTTP2", "\(settings.enableHTTP2)"),
            ("PREFECT_CLIENT_MAX_RETRIES", "\(settings.maxRetries)"),
            ("PREFECT_CLIENT_RETRY_JITTER_FACTOR", "\(settings.retryJitterFactor)"),
            ("PREFECT_CLIENT_RETRY_EXTRA_CODES", settings.retryExtraCodes.sorted().map(String.init).joined(separator: ",")),
            ("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "\(settings.csrfSupportEnabled)"),
            ("PREFECT_CLIENT_CUSTOM_HEADERS", settings.customHeaders.isEmpty
                ? "{}" : "{" + settings.customHeaders.keys.sorted().map { "\($0): \(masked)" }.joined(separator: ", ") + "}"),
            ("PREFECT_CLOUD_API_URL", settings.cloudAPIURL),
            ("PREFECT_HOME", settings.home),
            ("PREFECT_PROFILES_PATH", settings.profilesPath),
        ]
        return values.map { name, value in
            let where_: Entry.Origin
            switch name {
            case "PREFECT_HOME", "PREFECT_PROFILES_PATH":
                where_ = environment[name] != nil ? .environment : .default
            default:
                where_ = origin(name)
            }
            return Entry(name: name, value: value, origin: where_)
        }
    }
}
