import AsyncHTTPClient
public import Foundation
public import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An ``HTTPTransport`` over the network, built on AsyncHTTPClient.
///
/// HTTP/1.1 by default (HTTP/2 when ``Configuration-swift.struct/httpVersion`` allows it and the
/// server offers it over TLS), a pool of ``Configuration-swift.struct/connectionPoolSize``
/// connections per host kept alive ``Configuration-swift.struct/idleTimeout``, the same as
/// Prefect's httpx settings (16 connections, 25 s: the Prefect Cloud load balancer keeps idle
/// connections for 30 s).
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// How the transport connects.
    public struct Configuration: Sendable {
        /// Which HTTP versions to speak.
        public enum HTTPVersion: Sendable, Hashable {
            /// HTTP/1.1 only, Prefect's default (`PREFECT_API_ENABLE_HTTP2=false`).
            case http1Only
            /// HTTP/2 when the server offers it in the TLS handshake, else HTTP/1.1.
            case automatic
        }

        /// How the server's certificate is checked.
        public struct TLS: Sendable, Hashable {
            /// Skip certificate and host-name checks (`PREFECT_API_TLS_INSECURE_SKIP_VERIFY`). Unsafe.
            public var insecureSkipVerify: Bool
            /// A PEM file of CA certificates to trust instead of the system's
            /// (`PREFECT_API_SSL_CERT_FILE`).
            public var caCertificateFile: String?

            public init(insecureSkipVerify: Bool = false, caCertificateFile: String? = nil) {
                self.insecureSkipVerify = insecureSkipVerify
                self.caCertificateFile = caCertificateFile
            }
        }

        /// Limit for connecting, for each write and for each wait on the server
        /// (`PREFECT_API_REQUEST_TIMEOUT`, default 60 s).
        public var timeout: Duration
        /// HTTP/1.1 only unless set to ``HTTPVersion-swift.enum/automatic``.
        public var httpVersion: HTTPVersion
        /// Connections kept per host; default 16.
        public var connectionPoolSize: Int
        /// How long an idle connection stays open; default 25 s.
        public var idleTimeout: Duration
        /// Certificate checks.
        public var tls: TLS
        /// The largest response body accepted; default 256 MiB.
        public var maxResponseBodyBytes: Int

        public init(
            timeout: Duration = .seconds(60),
            httpVersion: HTTPVersion = .http1Only,
            connectionPoolSize: Int = 16,
            idleTimeout: Duration = .seconds(25),
            tls: TLS = TLS(),
            maxResponseBodyBytes: Int = 256 * 1024 * 1024
        ) {
            self.timeout = timeout
            self.httpVersion = httpVersion
            self.connectionPoolSize = connectionPoolSize
            self.idleTimeout = idleTimeout
            self.tls = tls
            self.maxResponseBodyBytes = maxResponseBodyBytes
        }
    }

    private let client: HTTPClient
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let executor: EventLoopTaskExecutor

    /// The task executor of the transport's event loop.
    ///
    /// Code that makes many requests in a row can run on it
    /// (`withTaskExecutorPreference(transport.taskExecutor) { … }`): the request then starts
    /// and resumes on the thread that owns the connection, with no thread hand-offs at all.
    public var taskExecutor: any TaskExecutor { executor }
    private let maxResponseBodyBytes: Int

    /// Creates a transport with its own connection pool and its own event loop thread.
    ///
    /// All connections live on that one loop, and each exchange runs there, so a request costs
    /// no thread hand-offs between the loop and Swift's global executor while it is in flight.
    public init(configuration: Configuration = Configuration()) {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if configuration.tls.insecureSkipVerify {
            tlsConfiguration.certificateVerification = .none
        }
        if let file = configuration.tls.caCertificateFile {
            tlsConfiguration.trustRoots = .file(file)
        }
        let timeout = TimeAmount(configuration.timeout)
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: TimeAmount(configuration.idleTimeout),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.connectionPoolSize))
        // Connection failures reach PrefectHTTPClient at once; its retry loop decides.
        pool.retryConnectionEstablishment = false
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tlsConfiguration,
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: timeout, read: timeout, write: timeout),
            connectionPool: pool)
        clientConfiguration.httpVersion = configuration.httpVersion == .automatic ? .automatic : .http1Only
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.eventLoopGroup = group
        self.executor = EventLoopTaskExecutor(eventLoop: group.next())
        self.client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: clientConfiguration)
        self.maxResponseBodyBytes = configuration.maxResponseBodyBytes
    }

    public func send(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse {
        try await withTaskExecutorPreference(executor) {
            try await exchange(request, body: body)
        }
    }

    private func exchange(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse {
        let url = "\(request.scheme ?? "http")://\(request.authority ?? "")\(request.path ?? "/")"
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers.reserveCapacity(request.headerFields.count)
        for field in request.headerFields {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        if let body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(outgoing, deadline: .distantFuture)
            let buffer = try await response.body.collect(upTo: maxResponseBodyBytes)
            let body = buffer.withUnsafeReadableBytes { Data($0) }
            var head = HTTPResponse(status: .init(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase))
            for header in response.headers {
                if let name = HTTPField.Name(header.name) {
                    head.headerFields.append(HTTPField(name: name, value: header.value))
                }
            }
            return HTTPTransportResponse(head: head, body: body)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PrefectTransportError.classify(error, method: request.method.rawValue, url: RedactedURL.string(url))
        }
    }

    public func shutdown() async throws {
        try await client.shutdown()
        try await eventLoopGroup.shutdownGracefully()
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
