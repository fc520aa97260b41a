import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive HTTP/1.1 connections of one ``NIOHTTP1Transport``, per host and port.
///
/// Confined to the transport's event loop: every method runs there (and checks it), so it
/// needs no locks; hence `@unchecked Sendable`.
/// At most `maxPerHost` connections are open to one host; further requests wait for one to be
/// released. An idle connection is closed after `idleTimeout`.
final class HTTP1ConnectionPool: @unchecked Sendable {
    struct Connection: Sendable {
        let channel: any Channel
        let handler: HTTP1ExchangeHandler
    }

    private struct Idle {
        let connection: Connection
        let closeTimer: Scheduled<Void>
    }

    let eventLoop: any EventLoop
    private let maxPerHost: Int
    private let idleTimeout: TimeAmount
    private let connectTimeout: TimeAmount
    private var idle: [String: [Idle]] = [:]
    private var open: [String: Int] = [:]
    private var waiters: [String: [EventLoopPromise<Connection>]] = [:]
    private var isShutDown = false

    init(eventLoop: any EventLoop, maxPerHost: Int, idleTimeout: TimeAmount, connectTimeout: TimeAmount) {
        self.eventLoop = eventLoop
        self.maxPerHost = max(1, maxPerHost)
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
    }

    /// A connection to `host:port`: an idle one, a new one, or the next one released.
    func acquire(host: String, port: Int) -> EventLoopFuture<Connection> {
        eventLoop.preconditionInEventLoop()
        guard !isShutDown else { return eventLoop.makeFailedFuture(HTTP1TransportError.shutDown) }
        let key = "\(host):\(port)"
        while var list = idle[key], let last = list.popLast() {
            idle[key] = list
            last.closeTimer.cancel()
            if last.connection.channel.isActive, last.connection.handler.isReusable {
                return eventLoop.makeSucceededFuture(last.connection)
            }
            forget(key)
        }
        if open[key, default: 0] < maxPerHost {
            open[key, default: 0] += 1
            return connect(host: host, port: port, key: key)
        }
        let promise = eventLoop.makePromise(of: Connection.self)
        waiters[key, default: []].append(promise)
        return promise.futureResult
    }

    /// Gives a connection back after an exchange: to a waiting request, to the idle list, or
    /// closed when it cannot carry another request.
    func release(_ connection: Connection, host: String, port: Int) {
        eventLoop.preconditionInEventLoop()
        let key = "\(host):\(port)"
        guard !isShutDown, connection.channel.isActive, connection.handler.isReusable else {
            connection.channel.close(promise: nil)
            forget(key)
            serveWaiter(key: key, host: host, port: port)
            return
        }
        if var queue = waiters[key], !queue.isEmpty {
            let waiter = queue.removeFirst()
            waiters[key] = queue
            waiter.succeed(connection)
            return
        }
        let channel = connection.channel
        let timer = eventLoop.scheduleTask(in: idleTimeout) { channel.close(promise: nil) }
        idle[key, default: []].append(Idle(connection: connection, closeTimer: timer))
    }

    /// Closes every connection; requests still waiting fail.
    func shutdown() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        isShutDown = true
        let channels = idle.values.flatMap { $0 }.map { entry -> any Channel in
            entry.closeTimer.cancel()
            return entry.connection.channel
        }
        idle = [:]
        for promise in waiters.values.flatMap({ $0 }) { promise.fail(HTTP1TransportError.shutDown) }
        waiters = [:]
        let closes = channels.map { channel in channel.close().recover { _ in } }
        return EventLoopFuture.andAllComplete(closes, on: eventLoop)
    }

    private func forget(_ key: String) {
        open[key, default: 1] -= 1
    }

    private func serveWaiter(key: String, host: String, port: Int) {
        guard var queue = waiters[key], !queue.isEmpty, open[key, default: 0] < maxPerHost else { return }
        let waiter = queue.removeFirst()
        waiters[key] = queue
        open[key, default: 0] += 1
        connect(host: host, port: port, key: key).cascade(to: waiter)
    }

    private func connect(host: String, port: Int, key: String) -> EventLoopFuture<Connection> {
        let handler = HTTP1ExchangeHandler()
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port)
            .map { channel in Connection(channel: channel, handler: handler) }
            .flatMapErrorThrowing { error in
                self.forget(key)
                self.serveWaiter(key: key, host: host, port: port)
                throw error
            }
    }
}
