import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection's side of an exchange: collects the response to the request in
/// flight and completes its promise, or fails it when the connection breaks or goes quiet.
///
/// Lives on the connection's event loop; every method runs there (hence `@unchecked Sendable`:
/// the loop, not the type system, serialises access, as in NIO's own handlers).
final class HTTP1ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    /// A complete response.
    struct Response {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    private var promise: EventLoopPromise<Response>?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?
    private var readTimeout: TimeAmount = .seconds(60)
    private var timer: Scheduled<Void>?
    private var maxBodyBytes = Int.max
    private weak var channel: (any Channel)?

    /// Whether the connection can carry another request.
    private(set) var isReusable = true

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
    }

    /// Starts waiting for the response to a request that is being written now.
    func expectResponse(_ promise: EventLoopPromise<Response>, readTimeout: TimeAmount, maxBodyBytes: Int) {
        self.promise = promise
        self.readTimeout = readTimeout
        self.maxBodyBytes = maxBodyBytes
        head = nil
        body = nil
        restartTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard promise != nil else { return }
        restartTimer()
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
            body = context.channel.allocator.buffer(capacity: 0)
            if !responseHead.isKeepAlive { isReusable = false }
        case .body(var part):
            if (body?.readableBytes ?? 0) + part.readableBytes > maxBodyBytes {
                fail(HTTP1TransportError.responseTooLarge(limit: maxBodyBytes), context: context)
                return
            }
            body?.writeBuffer(&part)
        case .end:
            guard let head else { return }
            let response = Response(head: head, body: body ?? ByteBuffer())
            finish()?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isReusable = false
        if promise != nil {
            fail(ChannelError.eof, context: context)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    /// Fails the exchange in flight and closes the connection.
    func fail(_ error: any Error, context: ChannelHandlerContext? = nil) {
        isReusable = false
        finish()?.fail(error)
        (context?.channel ?? channel)?.close(promise: nil)
    }

    private func finish() -> EventLoopPromise<Response>? {
        timer?.cancel()
        timer = nil
        let pending = promise
        promise = nil
        return pending
    }

    private func restartTimer() {
        timer?.cancel()
        guard let channel else { return }
        timer = channel.eventLoop.scheduleTask(in: readTimeout) { [weak self] in
            self?.fail(HTTP1TransportError.readTimeout)
        }
    }
}

/// Failures of ``NIOHTTP1Transport`` that NIO has no error for.
enum HTTP1TransportError: Error, CustomStringConvertible {
    case readTimeout
    case responseTooLarge(limit: Int)
    case tooManyRedirects
    case shutDown

    var description: String {
        switch self {
        case .readTimeout: "no data from the server within the timeout"
        case .responseTooLarge(let limit): "the response body is larger than \(limit) bytes"
        case .tooManyRedirects: "more than 5 redirects"
        case .shutDown: "the transport was shut down"
        }
    }
}
