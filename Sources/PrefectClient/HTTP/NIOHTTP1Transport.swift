public import Foundation
public import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// A lean ``HTTPTransport`` for plain-HTTP Prefect servers (a self-hosted server, the embedded
/// server over the network): HTTP/1.1 with keep-alive connections, straight on SwiftNIO.
///
/// It does per request about half the work of ``AsyncHTTPClientTransport``, which is what the
/// client CPU per operation is made of against a local server. It speaks `http://` only;
/// ``PrefectClient`` uses ``AsyncHTTPClientTransport`` for `https://` and for HTTP/2.
///
/// Like Prefect's httpx settings: at most ``Configuration-swift.struct/connectionPoolSize``
/// connections per host, idle ones closed after ``Configuration-swift.struct/idleTimeout``,
/// the timeout applied to connecting and to each wait for the server, redirects followed
/// (up to five).
public final class NIOHTTP1Transport: HTTPTransport {
    /// How the transport connects.
    public struct Configuration: Sendable {
        /// Limit for connecting and for each wait on the server (`PREFECT_API_REQUEST_TIMEOUT`).
        public var timeout: Duration
        /// Connections kept per host; default 16.
        public var connectionPoolSize: Int
        /// How long an idle connection stays open; default 25 s.
        public var idleTimeout: Duration
        /// The largest response body accepted; default 256 MiB.
        public var maxResponseBodyBytes: Int

        public init(
            timeout: Duration = .seconds(60), connectionPoolSize: Int = 16, idleTimeout: Duration = .seconds(25),
            maxResponseBodyBytes: Int = 256 * 1024 * 1024
        ) {
            self.timeout = timeout
            self.connectionPoolSize = connectionPoolSize
            self.idleTimeout = idleTimeout
            self.maxResponseBodyBytes = maxResponseBodyBytes
        }
    }

    private let group: MultiThreadedEventLoopGroup
    private let executor: EventLoopTaskExecutor
    private let pool: HTTP1ConnectionPool
    private let timeout: TimeAmount
    private let maxResponseBodyBytes: Int

    /// The task executor of the transport's event loop (see
    /// ``AsyncHTTPClientTransport/taskExecutor``).
    public var taskExecutor: any TaskExecutor { executor }

    /// Creates a transport with its own event loop thread.
    public init(configuration: Configuration = Configuration()) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        self.group = group
        self.executor = EventLoopTaskExecutor(eventLoop: loop)
        self.timeout = TimeAmount(configuration.timeout)
        self.maxResponseBodyBytes = configuration.maxResponseBodyBytes
        self.pool = HTTP1ConnectionPool(
            eventLoop: loop, maxPerHost: configuration.connectionPoolSize,
            idleTimeout: TimeAmount(configuration.idleTimeout), connectTimeout: TimeAmount(configuration.timeout))
    }

    public func send(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse {
        guard request.scheme == nil || request.scheme == "http", let authority = request.authority,
            let target = Target(authority: authority)
        else {
            throw PrefectTransportError(
                kind: .localProtocol, method: request.method.rawValue, url: Self.url(of: request),
                underlying: "NIOHTTP1Transport speaks plain http:// only; use AsyncHTTPClientTransport for https://")
        }
        let loop = executor.eventLoop
        let exchange = Exchange(request: request, body: body, target: target)
        do {
            return try await withTaskExecutorPreference(executor) {
                try await withTaskCancellationHandler {
                    let future = loop.flatSubmit { [self] in run(exchange, redirects: 0) }
                    return try await future.get()
                } onCancel: {
                    loop.execute { exchange.cancel() }
                }
            }
        } catch let error as PrefectTransportError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw PrefectTransportError.classify(error, method: request.method.rawValue, url: Self.url(of: request))
        }
    }

    /// The request's URL, for errors.
    private static func url(of request: HTTPRequest) -> String {
        "\(request.scheme ?? "http")://\(request.authority ?? "")\(request.path ?? "/")"
    }

    public func shutdown() async throws {
        let loop = executor.eventLoop
        try await loop.flatSubmit { [pool] in pool.shutdown() }.get()
        try await group.shutdownGracefully()
    }

    // MARK: exchange, on the event loop

    private func run(_ exchange: Exchange, redirects: Int) -> EventLoopFuture<HTTPTransportResponse> {
        let loop = executor.eventLoop
        let pool = self.pool
        let target = exchange.target
        let acquired = pool.acquire(host: target.host, port: target.port)
        let received = acquired.flatMap { [self] (connection: HTTP1ConnectionPool.Connection) -> EventLoopFuture<HTTP1ExchangeHandler.Response> in
            guard !exchange.isCancelled else {
                pool.release(connection, host: target.host, port: target.port)
                return loop.makeFailedFuture(CancellationError())
            }
            exchange.connection = connection
            let promise = loop.makePromise(of: HTTP1ExchangeHandler.Response.self)
            connection.handler.expectResponse(promise, readTimeout: timeout, maxBodyBytes: maxResponseBodyBytes)
            write(exchange, on: connection)
            return promise.futureResult.always { _ in
                exchange.connection = nil
                pool.release(connection, host: target.host, port: target.port)
            }
        }
        return received.flatMap { [self] (response: HTTP1ExchangeHandler.Response) -> EventLoopFuture<HTTPTransportResponse> in
            if let next = exchange.redirect(for: response.head), redirects < 5 {
                return run(next, redirects: redirects + 1)
            }
            if exchange.redirect(for: response.head) != nil {
                return loop.makeFailedFuture(HTTP1TransportError.tooManyRedirects)
            }
            return loop.makeSucceededFuture(Self.response(response))
        }
    }

    private func write(_ exchange: Exchange, on connection: HTTP1ConnectionPool.Connection) {
        var head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: exchange.request.method.rawValue),
            uri: exchange.request.path ?? "/")
        head.headers.reserveCapacity(exchange.request.headerFields.count + 2)
        head.headers.add(name: "Host", value: exchange.target.hostHeader)
        for field in exchange.request.headerFields {
            head.headers.add(name: field.name.rawName, value: field.value)
        }
        let channel = connection.channel
        if let body = exchange.body {
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        } else {
            if exchange.request.method != .get && exchange.request.method != .head {
                head.headers.replaceOrAdd(name: "Content-Length", value: "0")
            }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
        }
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: written)
        let handler = connection.handler
        written.futureResult.whenFailure { error in handler.fail(WriteFailure(underlying: error)) }
    }

    private static func response(_ response: HTTP1ExchangeHandler.Response) -> HTTPTransportResponse {
        var head = HTTPResponse(status: .init(code: Int(response.head.status.code), reasonPhrase: response.head.status.reasonPhrase))
        for header in response.head.headers {
            if let name = HTTPField.Name(header.name) {
                head.headerFields.append(HTTPField(name: name, value: header.value))
            }
        }
        let body = response.body.withUnsafeReadableBytes { Data($0) }
        return HTTPTransportResponse(head: head, body: body)
    }
}

/// A write that failed: the connection broke while sending the request.
struct WriteFailure: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String { "write failed: \(underlying)" }
}

/// Host and port of a request's authority.
struct Target {
    let host: String
    let port: Int

    init?(authority: String) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            port = rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 80 : 80
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        } else {
            host = authority
            port = 80
        }
        guard !host.isEmpty else { return nil }
    }

    var hostHeader: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? shown : "\(shown):\(port)"
    }
}

/// One request through the transport, redirects included. Created once, then touched only on
/// the transport's event loop (hence `@unchecked Sendable`).
final class Exchange: @unchecked Sendable {
    let request: HTTPRequest
    let body: Data?
    let target: Target
    var connection: HTTP1ConnectionPool.Connection?
    private(set) var isCancelled = false

    init(request: HTTPRequest, body: Data?, target: Target) {
        self.request = request
        self.body = body
        self.target = target
    }

    func cancel() {
        isCancelled = true
        connection?.handler.fail(CancellationError())
    }

    /// The request to send after a redirect response, or nil when `head` is no redirect.
    ///
    /// 307 and 308 keep method and body; 301, 302 and 303 turn a request with a body into a
    /// GET, as httpx does. Only redirects to the same host are followed.
    func redirect(for head: HTTPResponseHead) -> Exchange? {
        guard [301, 302, 303, 307, 308].contains(head.status.code),
            let location = head.headers.first(name: "Location")
        else { return nil }
        var next = request
        if location.hasPrefix("/") {
            next.path = location
        } else if let url = URL(string: location), url.scheme == "http", let host = url.host,
            host == target.host, (url.port ?? 80) == target.port
        {
            var path = url.path.isEmpty ? "/" : url.path
            if let query = url.query { path += "?\(query)" }
            next.path = path
        } else {
            return nil
        }
        let keepsBody = head.status.code == 307 || head.status.code == 308
        if !keepsBody && next.method != .get && next.method != .head {
            next.method = .get
            next.headerFields[.contentType] = nil
        }
        return Exchange(request: next, body: keepsBody ? body : nil, target: target)
    }
}
