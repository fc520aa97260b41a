public import Foundation
public import HTTPTypes

/// Carries one HTTP exchange to a Prefect API and back.
///
/// ``PrefectHTTPClient`` builds every request (headers, auth, CSRF), retries and raises;
/// a transport only moves bytes. ``AsyncHTTPClientTransport`` goes over the network;
/// the embedded server plugs in an in-process transport with no socket.
///
/// A transport reports failures to exchange as ``PrefectTransportError`` so the retry loop can
/// tell a reset connection from a wrong URL; a response with any status is not a failure.
public protocol HTTPTransport: Sendable {
    /// Sends `request` with `body` and returns the whole response.
    ///
    /// - Parameters:
    ///   - request: method, scheme, authority, path with query, and header fields.
    ///   - body: the request body, if any.
    ///
    /// Timeouts belong to the transport's configuration: a network transport applies them to
    /// connecting, to each write and to each wait for the server.
    func send(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse

    /// Releases connections and threads. The transport cannot be used afterwards.
    func shutdown() async throws
}

/// A response as a transport hands it back: head and the complete body.
public struct HTTPTransportResponse: Sendable {
    /// Status and header fields.
    public var head: HTTPResponse
    /// The body, read to the end.
    public var body: Data

    public init(head: HTTPResponse, body: Data) {
        self.head = head
        self.body = body
    }
}
