public import Foundation
public import Logging
import Synchronization

/// The client for the Prefect API (Prefect's `PrefectClient`).
///
/// Each group of operations lives in its own extension file (`PrefectClient+Health.swift`, …),
/// as Prefect splits its client into one mixin per resource. Method names are the camelCase of
/// the Python client's, so Prefect's documentation translates by eye.
///
/// ```swift
/// try await withPrefectClient { client in
///     print(try await client.apiVersion())
/// }
/// ```
public final class PrefectClient: Sendable {
    /// What kind of server the client talks to.
    public enum ServerType: String, Sendable, Hashable {
        /// A self-hosted Prefect server.
        case server = "SERVER"
        /// Prefect Cloud: no CSRF tokens and no version check.
        case cloud = "CLOUD"
        /// The embedded, in-process server.
        case ephemeral = "EPHEMERAL"
    }

    /// The HTTP layer, for requests this client has no method for yet.
    public let http: PrefectHTTPClient
    /// What kind of server this is.
    public let serverType: ServerType
    let logger: Logger
    let versionChecked = Mutex<Bool>(false)
    private let ownsTransport: Bool
    /// The certificate checks and timeout of the settings the client was made from, for its
    /// event websockets (``eventsClient(checkpointEvery:checkpointInterval:)``).
    let socketOptions: EventSocketOptions

    /// Creates a client for `settings.apiURL` over the network.
    ///
    /// - Throws: ``PrefectClientConfigurationError`` when `PREFECT_API_URL` is not set (the
    ///   embedded server is not part of this release) or is not an http(s) URL.
    public convenience init(
        settings: PrefectSettings, logger: Logger = Logger(label: "prefect.client")
    ) throws {
        guard let apiURL = settings.apiURL else {
            throw PrefectClientConfigurationError(
                setting: "PREFECT_API_URL",
                message: "not set; point it at a Prefect server, e.g. http://127.0.0.1:4200/api")
        }
        let endpoint = try Endpoint(apiURL)
        let isCloud = settings.isCloud
        let configuration = PrefectHTTPClient.Configuration(
            apiURL: apiURL,
            apiKey: settings.apiKey,
            authString: settings.authString,
            retryPolicy: RetryPolicy(
                maxRetries: settings.maxRetries, jitterFactor: settings.retryJitterFactor,
                extraStatusCodes: settings.retryExtraCodes),
            csrfSupportEnabled: settings.csrfSupportEnabled && !isCloud,
            customHeaders: settings.customHeaders)
        let transport = Self.makeTransport(settings: settings, scheme: endpoint.scheme)
        let http = PrefectHTTPClient(
            endpoint: endpoint, configuration: configuration, transport: transport,
            sleeper: ContinuousClockSleeper(), logger: logger)
        self.init(
            http: http, serverType: isCloud ? .cloud : .server, ownsTransport: true,
            socketOptions: EventSocketOptions(settings: settings), logger: logger)
    }

    /// The transport for `settings`: ``NIOHTTP1Transport`` for plain `http://` (half the CPU per
    /// request), ``AsyncHTTPClientTransport`` for `https://` or when HTTP/2 is enabled.
    static func makeTransport(settings: PrefectSettings, scheme: String) -> any HTTPTransport {
        let timeout = Duration.wait(seconds: settings.requestTimeout)
        if scheme == "http", !settings.enableHTTP2 {
            return NIOHTTP1Transport(configuration: .init(timeout: timeout))
        }
        return AsyncHTTPClientTransport(
            configuration: .init(
                timeout: timeout, httpVersion: settings.enableHTTP2 ? .automatic : .http1Only,
                tls: .init(insecureSkipVerify: settings.tlsInsecureSkipVerify, caCertificateFile: settings.sslCertFile)))
    }

    /// Creates a client that sends its requests through `transport` and owns it:
    /// ``shutdown()`` shuts the transport down. Embedded servers use this with an in-process
    /// transport (``ServerType/ephemeral``); retries follow `settings`, and no CSRF tokens are
    /// asked for.
    public convenience init(
        apiURL: URL, transport: any HTTPTransport, serverType: ServerType, settings: PrefectSettings,
        logger: Logger = Logger(label: "prefect.client")
    ) throws {
        let configuration = PrefectHTTPClient.Configuration(
            apiURL: apiURL,
            retryPolicy: RetryPolicy(
                maxRetries: settings.maxRetries, jitterFactor: settings.retryJitterFactor,
                extraStatusCodes: settings.retryExtraCodes),
            csrfSupportEnabled: false,
            customHeaders: settings.customHeaders)
        let http = try PrefectHTTPClient(configuration: configuration, transport: transport, logger: logger)
        self.init(
            http: http, serverType: serverType, ownsTransport: true,
            socketOptions: EventSocketOptions(settings: settings), logger: logger)
    }

    /// Creates a client over `http`; the caller keeps ownership of its transport.
    public convenience init(http: PrefectHTTPClient, serverType: ServerType = .server) {
        self.init(
            http: http, serverType: serverType, ownsTransport: false,
            socketOptions: EventSocketOptions(settings: PrefectSettings()), logger: http.logger)
    }

    private init(
        http: PrefectHTTPClient, serverType: ServerType, ownsTransport: Bool, socketOptions: EventSocketOptions,
        logger: Logger
    ) {
        self.http = http
        self.serverType = serverType
        self.ownsTransport = ownsTransport
        self.socketOptions = socketOptions
        self.logger = logger
    }

    /// The API's base URL, without credentials.
    public var apiURL: String { http.apiURL }

    /// Closes the connections this client opened. A client made over a caller's
    /// ``PrefectHTTPClient`` leaves its transport alone.
    public func shutdown() async throws {
        if ownsTransport {
            try await http.transport.shutdown()
        }
    }
}

/// Runs `body` with a client for `settings` and shuts the client down afterwards, whether
/// `body` returns or throws.
///
/// This version needs `PREFECT_API_URL`. Importing `PrefectServer` brings the version that
/// runs the embedded server when it is not set; that one is preferred wherever both are visible.
@_disfavoredOverload
public func withPrefectClient<Result: Sendable>(
    settings: PrefectSettings? = nil,
    logger: Logger = Logger(label: "prefect.client"),
    _ body: (PrefectClient) async throws -> Result
) async throws -> Result {
    let client = try PrefectClient(settings: settings ?? PrefectSettings.load(), logger: logger)
    let result: Result
    do {
        result = try await body(client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return result
}
