public import Foundation
public import PrefectClient

/// The network transports the HTTP-layer tests run against.
public enum TransportKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case asyncHTTPClient
    case nioHTTP1

    public var description: String { rawValue }

    /// A new transport of this kind.
    public func make(timeout: Duration) -> any HTTPTransport {
        switch self {
        case .asyncHTTPClient: AsyncHTTPClientTransport(configuration: .init(timeout: timeout))
        case .nioHTTP1: NIOHTTP1Transport(configuration: .init(timeout: timeout))
        }
    }
}

/// Builds HTTP clients over a real network transport for tests, and shuts the transport down.
public enum TestClients {
    /// Runs `body` with a ``PrefectHTTPClient`` for `apiURL` whose sleeps are recorded, not waited.
    ///
    /// The request timeout is 60 s unless a test of timeouts sets its own: an answer from the
    /// loopback fault server that takes longer than that is a loaded machine, not the behaviour
    /// under test (a 10 s default once turned a maintenance answer into a timed-out retry under CI).
    public static func withHTTPClient<Result>(
        transport kind: TransportKind = .asyncHTTPClient,
        apiURL: URL,
        maxRetries: Int = 5,
        jitterFactor: Double = 0,
        extraStatusCodes: Set<Int> = [],
        csrfSupportEnabled: Bool = true,
        apiKey: String? = nil,
        authString: String? = nil,
        customHeaders: [String: String] = [:],
        timeout: Duration = .seconds(60),
        _ body: (PrefectHTTPClient, RecordingSleeper) async throws -> Result
    ) async throws -> Result {
        let transport = kind.make(timeout: timeout)
        let sleeper = RecordingSleeper()
        let configuration = PrefectHTTPClient.Configuration(
            apiURL: apiURL, apiKey: apiKey, authString: authString,
            retryPolicy: RetryPolicy(maxRetries: maxRetries, jitterFactor: jitterFactor, extraStatusCodes: extraStatusCodes),
            csrfSupportEnabled: csrfSupportEnabled, customHeaders: customHeaders)
        do {
            let client = try PrefectHTTPClient(configuration: configuration, transport: transport, sleeper: sleeper)
            let result = try await body(client, sleeper)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }
}
