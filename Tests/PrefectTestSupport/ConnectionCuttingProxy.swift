public import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A TCP proxy on a loopback port in front of a real server, which can cut every connection
/// open through it at once — to the client, as a server that closes its sockets (a restart, a
/// load balancer's timeout) does. Bytes pass through unchanged, so websockets work through it.
/// With `servingTLS` it also terminates TLS with ``TestCertificates``, as a load balancer in
/// front of a Prefect server does: clients speak `https`/`wss` to it, the server plain HTTP.
/// It can also hold what the server sends on its websockets (``holdWebsocketReplies()``), as a
/// server too busy to read its sockets answers no ping.
public final class ConnectionCuttingProxy: Sendable {
    private let listener: any Channel
    private let upstreamHost: String
    private let upstreamPort: Int
    private let connections = Mutex<[ObjectIdentifier: [any Channel]]>([:])
    private let cuts = Mutex(0)
    private let replyGates = Mutex<[ObjectIdentifier: ReplyGate]>([:])

    /// The port the proxy listens on.
    public let port: Int

    private init(listener: any Channel, port: Int, upstreamHost: String, upstreamPort: Int) {
        self.listener = listener
        self.port = port
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
    }

    /// `upstream` with the proxy's host and port.
    public func url(for upstream: URL) -> URL {
        var components = URLComponents(url: upstream, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.host = "127.0.0.1"
        components.port = port
        return components.url ?? upstream
    }

    /// Connections cut so far.
    public var cutCount: Int { cuts.withLock { $0 } }

    /// Starts a proxy for the host and port of `upstream` (an `http` URL); with `servingTLS`
    /// clients connect to it with TLS.
    public static func start(upstream: URL, servingTLS: Bool = false) async throws -> ConnectionCuttingProxy {
        let host = upstream.host ?? "127.0.0.1"
        let upstreamPort = upstream.port ?? 80
        let tls = try servingTLS ? serverTLSContext() : nil
        let box = Mutex<ConnectionCuttingProxy?>(nil)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                guard let proxy = box.withLock({ $0 }) else { return child.close() }
                guard let tls else { return proxy.join(child) }
                do {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                } catch {
                    return child.eventLoop.makeFailedFuture(error)
                }
                return proxy.join(child)
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let proxy = ConnectionCuttingProxy(
            listener: listener, port: listener.localAddress?.port ?? 0, upstreamHost: host, upstreamPort: upstreamPort)
        box.withLock { $0 = proxy }
        return proxy
    }

    private static func serverTLSContext() throws -> NIOSSLContext {
        let certificates = try NIOSSLCertificate.fromPEMBytes(Array(TestCertificates.serverCertificate.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificates.serverKey.utf8), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        return try NIOSSLContext(configuration: configuration)
    }

    /// Closes every connection open now, both ways; returns how many.
    @discardableResult
    public func cutAll() -> Int {
        let open = connections.withLock { connections -> [[any Channel]] in
            defer { connections = [:] }
            return Array(connections.values)
        }
        for pair in open {
            for channel in pair { channel.close(promise: nil) }
        }
        cuts.withLock { $0 += open.count }
        return open.count
    }

    /// From now on, what the server sends on a websocket (a connection whose request asked to
    /// upgrade; its handshake answer has passed) is kept back — pongs included — until
    /// ``releaseWebsocketReplies()``. Plain HTTP answers pass.
    public func holdWebsocketReplies() {
        for gate in replyGates.withLock({ Array($0.values) }) { gate.hold() }
    }

    /// Sends what was kept back, in order, and lets later replies pass.
    public func releaseWebsocketReplies() {
        for gate in replyGates.withLock({ Array($0.values) }) { gate.release() }
    }

    /// Stops listening and cuts what is open.
    public func stop() async {
        cutAll()
        try? await listener.close()
    }

    /// Connects `client` to the upstream server and glues the two together.
    private func join(_ client: any Channel) -> EventLoopFuture<Void> {
        let key = ObjectIdentifier(client)
        return ClientBootstrap(group: client.eventLoop)
            .connect(host: upstreamHost, port: upstreamPort)
            .flatMap { upstream in
                self.connections.withLock { $0[key] = [client, upstream] }
                let gate = ReplyGate(client: client)
                self.replyGates.withLock { $0[key] = gate }
                let toUpstream = RequestRelay(to: upstream, noticedBy: gate)
                let toClient = ReplyRelay(through: gate)
                client.closeFuture.whenComplete { _ in
                    upstream.close(promise: nil)
                    _ = self.connections.withLock { $0.removeValue(forKey: key) }
                    _ = self.replyGates.withLock { $0.removeValue(forKey: key) }
                }
                upstream.closeFuture.whenComplete { _ in client.close(promise: nil) }
                return client.pipeline.addHandler(toUpstream).flatMap { upstream.pipeline.addHandler(toClient) }
            }
            .flatMapError { error in client.close().flatMapThrowing { throw error } }
    }
}

/// The client-to-server direction of one proxied connection: writes what the client sends to
/// the upstream server, after showing the connection's ``ReplyGate`` the first bytes (a
/// websocket asks to upgrade in its request).
private final class RequestRelay: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let upstream: any Channel
    private let gate: ReplyGate

    init(to upstream: any Channel, noticedBy gate: ReplyGate) {
        self.upstream = upstream
        self.gate = gate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        gate.notice(bytes)
        upstream.writeAndFlush(bytes, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Hands what the upstream server sends to the connection's ``ReplyGate``, which writes it to
/// the client or keeps it.
private final class ReplyRelay: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let gate: ReplyGate

    init(through gate: ReplyGate) {
        self.gate = gate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        gate.forward(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The server-to-client direction of one proxied connection: passes bytes on, or keeps them
/// while the connection is a websocket and held. Both directions of a connection run on the
/// client's event loop, so bytes keep their order.
private final class ReplyGate: Sendable {
    private struct State {
        var requestSeen = false
        var isWebsocket = false
        var holding = false
        var kept: [ByteBuffer] = []
    }

    private let client: any Channel
    private let state = Mutex(State())

    init(client: any Channel) {
        self.client = client
    }

    /// Looks at the first bytes the client sent: a websocket asks to upgrade in its request.
    func notice(_ bytes: ByteBuffer) {
        state.withLock { state in
            guard !state.requestSeen else { return }
            state.requestSeen = true
            let request = String(buffer: bytes).lowercased()
            state.isWebsocket = request.contains("upgrade: websocket")
        }
    }

    func hold() {
        state.withLock { $0.holding = $0.isWebsocket }
    }

    func release() {
        client.eventLoop.execute {
            let kept = self.state.withLock { state -> [ByteBuffer] in
                state.holding = false
                defer { state.kept = [] }
                return state.kept
            }
            for bytes in kept { self.client.write(bytes, promise: nil) }
            self.client.flush()
        }
    }

    func forward(_ bytes: ByteBuffer) {
        let pass = state.withLock { state -> Bool in
            guard state.holding || !state.kept.isEmpty else { return true }
            state.kept.append(bytes)
            return false
        }
        if pass { client.writeAndFlush(bytes, promise: nil) }
    }
}
