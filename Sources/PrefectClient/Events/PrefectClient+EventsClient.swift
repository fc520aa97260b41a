import Foundation

extension PrefectClient {
    /// A ``PrefectEventsClient`` for this client's server with this client's credentials
    /// (Prefect's `get_events_client`), or `nil` for the embedded server in-process, which has
    /// no websockets: send its events with ``emitEvents(_:)``.
    ///
    /// A client made from settings passes on their certificate checks
    /// (`PREFECT_API_TLS_INSECURE_SKIP_VERIFY`, `PREFECT_API_SSL_CERT_FILE`) and request timeout,
    /// as Prefect's websocket connect does (`prefect.events.clients.websocket_connect`); one made
    /// over a caller's ``PrefectHTTPClient`` has Prefect's defaults.
    public func eventsClient(
        checkpointEvery: Int = 700, checkpointInterval: Duration = .seconds(30), reconnectionAttempts: Int = 10
    ) throws -> PrefectEventsClient? {
        guard serverType != .ephemeral else { return nil }
        let configuration = http.configuration
        return try PrefectEventsClient(
            apiURL: configuration.apiURL, authString: configuration.authString, apiKey: configuration.apiKey,
            reconnectionAttempts: reconnectionAttempts, checkpointEvery: checkpointEvery, checkpointInterval: checkpointInterval, timeout: socketOptions.timeout,
            tlsInsecureSkipVerify: socketOptions.tls.insecureSkipVerify, caCertificateFile: socketOptions.tls.caCertificateFile,
            logger: logger)
    }
}
