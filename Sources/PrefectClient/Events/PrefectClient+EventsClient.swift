import Foundation

extension PrefectClient {
    /// A ``PrefectEventsClient`` for this client's server with this client's credentials
    /// (Prefect's `get_events_client`), or `nil` for the embedded server in-process, which has
    /// no websockets: send its events with ``emitEvents(_:)``.
    public func eventsClient(checkpointEvery: Int = 700, checkpointInterval: Duration = .seconds(30)) throws -> PrefectEventsClient? {
        guard serverType != .ephemeral else { return nil }
        let configuration = http.configuration
        return try PrefectEventsClient(
            apiURL: configuration.apiURL, authString: configuration.authString, apiKey: configuration.apiKey,
            checkpointEvery: checkpointEvery, checkpointInterval: checkpointInterval, logger: logger)
    }
}
