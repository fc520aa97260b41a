public import Foundation
public import HTTPTypes
public import Logging
import PrefectSchemas
import Synchronization

/// The HTTP client for the Prefect API: Prefect's `PrefectHttpxAsyncClient` in Swift.
///
/// Every request gets the client's headers (`User-Agent`, `X-PREFECT-API-VERSION`, auth,
/// custom headers) and, for POST, PUT, PATCH and DELETE, a CSRF token when the server wants
/// one. Failed exchanges are retried as Prefect's client retries them (see ``RetryPolicy``), and
/// a response that is not 2xx after the last attempt throws ``PrefectHTTPStatusError`` unless
/// the caller opts out.
public final class PrefectHTTPClient: Sendable {
    /// Where the client sends requests and how it treats them.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// The API's base URL, e.g. `http://127.0.0.1:4200/api` (`PREFECT_API_URL`).
        public var apiURL: URL
        /// A Prefect Cloud API key, sent as `Authorization: Bearer …` (`PREFECT_API_KEY`).
        public var apiKey: String?
        /// `user:password` for a server with basic auth, sent as `Authorization: Basic …`;
        /// wins over ``apiKey`` (`PREFECT_API_AUTH_STRING`).
        public var authString: String?
        /// The API version sent in `X-PREFECT-API-VERSION`.
        public var apiVersion: String
        /// When and how requests are retried.
        public var retryPolicy: RetryPolicy
        /// Whether POST, PUT, PATCH and DELETE carry a CSRF token (`PREFECT_CLIENT_CSRF_SUPPORT_ENABLED`).
        /// The client turns it off by itself against a server without CSRF protection.
        public var csrfSupportEnabled: Bool
        /// Headers added to every request (`PREFECT_CLIENT_CUSTOM_HEADERS`); `User-Agent`,
        /// `Prefect-Csrf-Token` and `Prefect-Csrf-Client` are ignored with a warning.
        public var customHeaders: [String: String]
        /// Whether a non-2xx response throws; a call can still opt out.
        public var raiseOnAllErrors: Bool

        public init(
            apiURL: URL,
            apiKey: String? = nil,
            authString: String? = nil,
            apiVersion: String = PrefectAPI.serverAPIVersion,
            retryPolicy: RetryPolicy = RetryPolicy(),
            csrfSupportEnabled: Bool = true,
            customHeaders: [String: String] = [:],
            raiseOnAllErrors: Bool = true
        ) {
            self.apiURL = apiURL
            self.apiKey = apiKey
            self.authString = authString
            self.apiVersion = apiVersion
            self.retryPolicy = retryPolicy
            self.csrfSupportEnabled = csrfSupportEnabled
            self.customHeaders = customHeaders
            self.raiseOnAllErrors = raiseOnAllErrors
        }

        /// Names every setting; secrets show only whether they are set.
        public var description: String {
            "PrefectHTTPClient.Configuration(apiURL: \(RedactedURL.string(apiURL.absoluteString)), "
                + "apiKey: \(apiKey == nil ? "nil" : "<redacted>"), "
                + "authString: \(authString == nil ? "nil" : "<redacted>"), apiVersion: \(apiVersion), "
                + "maxRetries: \(retryPolicy.maxRetries), csrfSupportEnabled: \(csrfSupportEnabled), "
                + "customHeaders: \(customHeaders.keys.sorted()))"
        }
    }

    /// The headers a caller cannot set through custom headers.
    static let protectedHeaderNames: Set<String> = ["user-agent", "prefect-csrf-token", "prefect-csrf-client"]

    let configuration: Configuration
    let transport: any HTTPTransport
    let sleeper: any RetrySleeper
    let logger: Logger
    let endpoint: Endpoint
    let baseHeaders: HTTPFields
    let csrfClientID = UUID.version4()
    let csrfTokens: CSRFTokenStore
    private let hasConnected = Atomic<Bool>(false)

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - configuration: where and how to send requests.
    ///   - transport: what carries them; the caller shuts it down.
    ///   - sleeper: what waits between retries.
    ///   - logger: receives retry and warning messages; never headers or secrets.
    /// - Throws: ``PrefectClientConfigurationError`` when the URL has no scheme or host.
    public convenience init(
        configuration: Configuration,
        transport: any HTTPTransport,
        sleeper: any RetrySleeper = ContinuousClockSleeper(),
        logger: Logger = Logger(label: "prefect.client")
    ) throws {
        try self.init(
            endpoint: Endpoint(configuration.apiURL), configuration: configuration, transport: transport,
            sleeper: sleeper, logger: logger)
    }

    init(
        endpoint: Endpoint, configuration: Configuration, transport: any HTTPTransport,
        sleeper: any RetrySleeper, logger: Logger
    ) {
        self.configuration = configuration
        self.transport = transport
        self.sleeper = sleeper
        self.logger = logger
        self.endpoint = endpoint
        self.baseHeaders = Self.makeBaseHeaders(configuration, logger: logger)
        self.csrfTokens = CSRFTokenStore(enabled: configuration.csrfSupportEnabled)
    }

    /// The API's base URL, without credentials.
    public var apiURL: String { endpoint.description }

    /// Whether the client has had any response from the server yet. Until then a refused
    /// connection fails at once instead of being retried.
    public var hasConnectedOnce: Bool { hasConnected.load(ordering: .relaxed) }

    /// Whether state-changing requests still carry CSRF tokens (false once the client found
    /// that the server does not use them).
    public var isCSRFSupportActive: Bool {
        get async { csrfTokens.isEnabled }
    }

    /// Sends a request to `path` below the API URL, with retries.
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: e.g. `/flows/filter`.
    ///   - query: query items, percent-encoded here.
    ///   - body: a JSON body, sent with `Content-Type: application/json`.
    ///   - headers: fields for this request only, replacing the client's own of the same name
    ///     (as httpx's per-request `headers=`).
    ///   - raiseOnError: whether a non-2xx status throws; default from the configuration.
    /// - Returns: the response after the last attempt.
    /// - Throws: ``PrefectHTTPStatusError``, ``PrefectTransportError``, or `CancellationError`.
    public func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        query: [URLQueryItem] = [],
        body: Data? = nil,
        headers: HTTPFields = [:],
        raiseOnError: Bool? = nil
    ) async throws -> PrefectResponse {
        var request = HTTPRequest(
            method: method, scheme: endpoint.scheme, authority: endpoint.authority,
            path: endpoint.path(path, query: query), headerFields: baseHeaders)
        if body != nil {
            request.headerFields[.contentType] = "application/json"
        }
        for field in headers {
            request.headerFields[field.name] = field.value
        }
        let response = try await sendWithRetry(request, body: body)
        if raiseOnError ?? configuration.raiseOnAllErrors {
            try response.raiseForStatus()
        }
        return response
    }

    /// Sends `GET path`.
    public func get(_ path: String, query: [URLQueryItem] = []) async throws -> PrefectResponse {
        try await send(.get, path, query: query)
    }

    /// Sends `value` as JSON with `method` (POST by default).
    public func send<Body: Encodable>(
        _ method: HTTPRequest.Method = .post, _ path: String, json value: Body, query: [URLQueryItem] = []
    ) async throws -> PrefectResponse {
        try await send(method, path, query: query, body: try PrefectJSON.encode(value))
    }

    func markConnected() {
        if !hasConnected.load(ordering: .relaxed) {
            hasConnected.store(true, ordering: .relaxed)
        }
    }

    private static func makeBaseHeaders(_ configuration: Configuration, logger: Logger) -> HTTPFields {
        var fields = HTTPFields()
        fields[.userAgent] = PrefectAPI.userAgent
        fields[.prefectAPIVersion] = configuration.apiVersion
        if let authString = configuration.authString, !authString.isEmpty {
            fields[.authorization] = "Basic \(Data(authString.utf8).base64EncodedString())"
        } else if let apiKey = configuration.apiKey, !apiKey.isEmpty {
            fields[.authorization] = "Bearer \(apiKey)"
        }
        for (name, value) in configuration.customHeaders.sorted(by: { $0.key < $1.key }) {
            guard !protectedHeaderNames.contains(name.lowercased()) else {
                logger.warning(
                    "Custom header '\(name)' is ignored because it conflicts with a protected header managed by Prefect. Protected headers include: User-Agent, Prefect-Csrf-Token, Prefect-Csrf-Client"
                )
                continue
            }
            guard let fieldName = HTTPField.Name(name) else {
                logger.warning("Custom header '\(name)' is ignored because it is not a valid header name")
                continue
            }
            fields[fieldName] = value
        }
        return fields
    }
}
