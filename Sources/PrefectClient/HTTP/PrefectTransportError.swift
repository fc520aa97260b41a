/// A request that got no complete response: the connection could not be made, timed out,
/// was reset or closed early, or spoke broken HTTP.
///
/// The kinds follow the httpx exceptions Prefect's client retries, so retry decisions match:
/// every kind but ``Kind-swift.struct/connect`` (retried only once the client has reached the
/// server), ``Kind-swift.struct/tls`` and ``Kind-swift.struct/other`` is retried.
public struct PrefectTransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value that can grow new cases without breaking callers.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String, Hashable, Sendable {
            case connect, connectTimeout, readTimeout, writeTimeout, poolTimeout
            case read, write, remoteProtocol, localProtocol, tls, other
        }
        private let code: Code

        /// The connection was refused or the host could not be resolved (`httpx.ConnectError`).
        public static let connect = Kind(code: .connect)
        /// Connecting took longer than the timeout (`httpx.ConnectTimeout`).
        public static let connectTimeout = Kind(code: .connectTimeout)
        /// The server sent nothing for longer than the timeout (`httpx.ReadTimeout`).
        public static let readTimeout = Kind(code: .readTimeout)
        /// Writing the request stalled for longer than the timeout (`httpx.WriteTimeout`).
        public static let writeTimeout = Kind(code: .writeTimeout)
        /// No pooled connection became free in time (`httpx.PoolTimeout`).
        public static let poolTimeout = Kind(code: .poolTimeout)
        /// The connection was reset or closed while reading the response (`httpx.ReadError`).
        public static let read = Kind(code: .read)
        /// The connection failed while writing the request (`httpx.WriteError`).
        public static let write = Kind(code: .write)
        /// The server broke the HTTP protocol, e.g. closed before the whole body
        /// (`httpx.RemoteProtocolError`).
        public static let remoteProtocol = Kind(code: .remoteProtocol)
        /// The client could not form a valid exchange (`httpx.LocalProtocolError`).
        public static let localProtocol = Kind(code: .localProtocol)
        /// The TLS handshake or certificate check failed.
        public static let tls = Kind(code: .tls)
        /// Anything else.
        public static let other = Kind(code: .other)

        public var description: String { code.rawValue }

        /// Whether Prefect's client retries this kind regardless of earlier success.
        public var isAlwaysRetried: Bool {
            switch code {
            case .connect, .tls, .other: false
            default: true
            }
        }

        /// Whether the request may have reached the server before this failure, so that it
        /// may have been acted on: the answer was lost or timed out, or the connection broke
        /// while sending. Connecting, waiting for a connection and preparing the request fail
        /// before anything is sent.
        public var mayHaveReachedServer: Bool {
            switch code {
            case .readTimeout, .read, .write, .writeTimeout, .remoteProtocol: true
            case .connect, .connectTimeout, .poolTimeout, .localProtocol, .tls, .other: false
            }
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// The request's method.
    public var method: String
    /// The request's URL, without credentials.
    public var url: String
    /// What the underlying transport said.
    public var underlying: String

    public init(kind: Kind, method: String, url: String, underlying: String) {
        self.kind = kind
        self.method = method
        self.url = url
        self.underlying = underlying
    }

    public var description: String {
        let what: String
        switch kind {
        case .connect: what = "Could not connect"
        case .connectTimeout: what = "Timed out connecting"
        case .readTimeout: what = "Timed out waiting for the response"
        case .writeTimeout: what = "Timed out sending the request"
        case .poolTimeout: what = "Timed out waiting for a free connection"
        case .read: what = "Connection lost while reading the response"
        case .write: what = "Connection lost while sending the request"
        case .remoteProtocol: what = "The server broke the HTTP protocol"
        case .localProtocol: what = "The request could not be sent"
        case .tls: what = "TLS failed"
        default: what = "Request failed"
        }
        return "\(what) for \(method) '\(url)': \(underlying)"
    }
}
