/// Why an event websocket failed.
public enum EventSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be opened: the server is not listening, or the TLS session failed
    /// (a certificate the client does not trust, say). `reason` is SwiftNIO's.
    case connectionFailed(url: String, reason: String)
    /// The server answered the upgrade request with something other than a websocket.
    case upgradeRefused(url: String)
    /// The server refused the `auth` message (a wrong or missing auth string or API key).
    case authenticationFailed(reason: String)
    /// The server closed the socket; `code` is the websocket close code, when it sent one.
    case closed(code: Int?, reason: String?)
    /// No answer to a ping within the time allowed.
    case timedOut
    /// The server sent something that is not Prefect's event protocol.
    case unexpectedMessage(String)

    public var description: String {
        switch self {
        case .connectionFailed(let url, let reason): "could not connect to \(url): \(reason)"
        case .upgradeRefused(let url): "the server at \(url) did not accept a websocket"
        case .authenticationFailed(let reason):
            "Unable to authenticate to the event stream. Please ensure the auth string or API key is valid for this environment."
                + (reason.isEmpty ? "" : " Reason: \(reason)")
        case .closed(let code, let reason):
            "the event websocket was closed" + (code.map { " with code \($0)" } ?? "") + (reason.map { ": \($0)" } ?? "")
        case .timedOut: "the event websocket did not answer in time"
        case .unexpectedMessage(let message): "unexpected message on the event websocket: \(message)"
        }
    }

    /// Whether the Python clients retry after it (`RETRYABLE_EXCEPTIONS`): everything but a
    /// refused authentication.
    var isRetryable: Bool {
        if case .authenticationFailed = self { return false }
        return true
    }
}
