import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Synchronization

/// One websocket to Prefect's event API, on SwiftNIO's websocket codec: text messages in and
/// out, and pings whose pongs can be awaited — the Python clients' checkpoint (a pong means the
/// server has read everything sent before its ping). Pings from the server are answered.
final class EventSocket: Sendable {
    /// The largest message accepted (the server's limit too).
    static let maximumMessageSize = 16 * 1024 * 1024

    private struct State {
        var outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>?
        var pendingPings = PendingPings()
        var closedError: EventSocketError?
        var nextPing: UInt64 = 1
    }

    /// The state the reader task and the callers share.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared = Shared()
    /// The text messages from the server, for one reader; it ends with
    /// ``EventSocketError/closed(code:reason:)`` (code 1000 when the server closed normally).
    let messages: AsyncThrowingStream<String, any Error>
    private let reader: Task<Void, Never>

    private init(
        channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, ready: CheckedContinuation<Void, Never>
    ) {
        let (messages, received) = AsyncThrowingStream<String, any Error>.makeStream()
        self.messages = messages
        let shared = self.shared
        reader = Task {
            var ready: CheckedContinuation<Void, Never>? = ready
            // What ended the reading; kept when closing the channel afterwards fails (the server
            // may have closed its side first), so a close frame's code is never lost.
            var ended: EventSocketError?
            do {
                try await channel.executeThenClose { inbound, outbound in
                    shared.state.withLock { $0.outbound = outbound }
                    ready?.resume()
                    ready = nil
                    ended = try await Self.read(inbound, outbound, shared, received)
                }
            } catch {
                ended = ended ?? .closed(code: nil, reason: "\(error)")
            }
            let closing = ended ?? .closed(code: nil, reason: nil)
            ready?.resume()
            let pings = shared.state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                state.closedError = state.closedError ?? closing
                state.outbound = nil
                return state.pendingPings.failAll(with: closing)
            }
            for ping in pings { ping.resume(throwing: closing) }
            received.finish(throwing: closing)
        }
    }

    /// Opens the socket: TCP (and TLS for `wss`), then the HTTP/1.1 upgrade with the `prefect`
    /// subprotocol and the endpoint's `Authorization`.
    ///
    /// - Throws: ``EventSocketError/connectionFailed(url:reason:)`` when no connection or no
    ///   TLS session could be made, ``EventSocketError/upgradeRefused(url:)`` when the server
    ///   answered with something other than a websocket.
    static func connect(_ endpoint: EventSocketEndpoint, timeout: Duration) async throws -> EventSocket {
        do {
            return try await open(endpoint, timeout: timeout)
        } catch let error as EventSocketError {
            throw error
        } catch {
            throw EventSocketError.connectionFailed(url: RedactedURL.string(endpoint.url.absoluteString), reason: "\(error)")
        }
    }

    private static func open(_ endpoint: EventSocketEndpoint, timeout: Duration) async throws -> EventSocket {
        enum Upgrade: Sendable {
            case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
            case refused
        }
        let sslContext = try endpoint.usesTLS ? NIOSSLContext(configuration: tlsConfiguration(endpoint.tls)) : nil
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.port == (endpoint.usesTLS ? 443 : 80) ? endpoint.host : "\(endpoint.host):\(endpoint.port)")
        headers.add(name: "Sec-WebSocket-Protocol", value: "prefect")
        headers.add(name: "User-Agent", value: "prefect-swift")
        if let authorization = endpoint.authorization { headers.add(name: "Authorization", value: authorization) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.requestPath, headers: headers)
        let seconds = Int64(timeout.components.seconds)
        let upgrade: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(min(max(1, seconds), 1_000_000_000)))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                // The TLS and upgrade handshakes get the same time as the TCP connect: a server
                // or proxy that never answers the upgrade must not hold the caller forever.
                let deadline = channel.eventLoop.scheduleTask(in: .seconds(min(max(1, seconds), 1_000_000_000))) {
                    channel.close(promise: nil)
                }
                return channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        // No SNI for an IP address (RFC 6066): the certificate is checked against the address.
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: endpoint.serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
                        maxFrameSize: maximumMessageSize,
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                            }
                        })
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture { () -> Upgrade in
                                channel.close(promise: nil)
                                return .refused
                            }
                        })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration)
                    ).always { _ in deadline.cancel() }
                }
            }
        switch try await upgrade.get() {
        case .refused:
            throw EventSocketError.upgradeRefused(url: RedactedURL.string(endpoint.url.absoluteString))
        case .websocket(let channel):
            var socket: EventSocket?
            await withCheckedContinuation { ready in socket = EventSocket(channel: channel, ready: ready) }
            guard let socket else { throw EventSocketError.closed(code: nil, reason: nil) }
            return socket
        }
    }

    private static func tlsConfiguration(_ options: EventSocketEndpoint.TLSOptions) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if options.insecureSkipVerify { configuration.certificateVerification = .none }
        if let file = options.caCertificateFile { configuration.trustRoots = .file(file) }
        return configuration
    }

    /// Sends one text message.
    func send(_ text: String) async throws {
        try await write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
    }

    /// Sends `value` as one JSON text message.
    func send<Value: Encodable>(json value: Value) async throws {
        try await send(String(decoding: try PrefectJSON.encode(value), as: UTF8.self))
    }

    /// Sends a ping and returns when its pong arrives: the server has read every message sent
    /// before it.
    func ping(timeout: Duration) async throws {
        // Registered before the frame goes out: the pong may be read before anyone waits.
        let data = try shared.state.withLock { state -> UInt64 in
            if let error = state.closedError { throw error }
            defer { state.nextPing += 1 }
            state.pendingPings.register(state.nextPing)
            return state.nextPing
        }
        defer { shared.state.withLock { $0.pendingPings.forget(data) } }
        var buffer = ByteBuffer()
        buffer.writeInteger(data)
        try await write(WebSocketFrame(fin: true, opcode: .ping, maskKey: .random(), data: buffer))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.pong(data) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw EventSocketError.timedOut
            }
            defer { group.cancelAll() }
            do {
                try await group.next()
            } catch {
                // Ends the wait (a timeout, or the caller was cancelled) so the group can return.
                shared.state.withLock { $0.pendingPings.fail(data, with: error) }?.resume(throwing: error)
                throw error
            }
        }
    }

    /// Waits for ping `data`'s pong; cancelling the wait ends it.
    private func pong(_ data: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if let ended = shared.state.withLock({ $0.pendingPings.wait(data, with: continuation) }) {
                    continuation.resume(with: ended)
                }
            }
        } onCancel: {
            shared.state.withLock { $0.pendingPings.fail(data, with: CancellationError()) }?.resume(throwing: CancellationError())
        }
    }

    /// Sends a close frame (normal closure) and stops reading.
    func close() async {
        try? await write(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: Self.closeData(code: 1000)))
        shared.state.withLock { $0.outbound?.finish() }
        reader.cancel()
        await reader.value
    }

    private func write(_ frame: WebSocketFrame) async throws {
        let (outbound, closed) = shared.state.withLock { ($0.outbound, $0.closedError) }
        guard let outbound else { throw closed ?? EventSocketError.closed(code: nil, reason: nil) }
        do {
            try await outbound.write(frame)
        } catch {
            throw shared.state.withLock { $0.closedError } ?? EventSocketError.closed(code: nil, reason: "\(error)")
        }
    }

    private static func closeData(code: UInt16) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        return buffer
    }

    /// Reads frames until the socket closes: text messages (joined from their fragments) to
    /// `received`, pongs to the ping waiting for them, pings answered.
    private static func read(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        _ shared: Shared, _ received: AsyncThrowingStream<String, any Error>.Continuation
    ) async throws -> EventSocketError {
        var fragments: ByteBuffer?
        for try await frame in inbound {
            switch frame.opcode {
            case .text, .continuation:
                var data = frame.unmaskedData
                if frame.opcode == .text {
                    fragments = data
                } else {
                    fragments?.writeBuffer(&data)
                }
                if frame.fin, let message = fragments {
                    fragments = nil
                    guard message.readableBytes <= maximumMessageSize else { return .unexpectedMessage("a message over 16 MiB") }
                    received.yield(String(buffer: message))
                }
            case .binary:
                continue
            case .ping:
                try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
            case .pong:
                var data = frame.unmaskedData
                guard let value = data.readInteger(as: UInt64.self) else { continue }
                let waiting = shared.state.withLock { $0.pendingPings.answer(value) }
                for continuation in waiting { continuation.resume() }
            case .connectionClose:
                var data = frame.unmaskedData
                let code = data.readInteger(as: UInt16.self).map(Int.init)
                let reason = data.readString(length: data.readableBytes).flatMap { $0.isEmpty ? nil : $0 }
                // Writes from now on fail with the server's close, not with NIO's closed channel.
                shared.state.withLock { $0.closedError = $0.closedError ?? .closed(code: code, reason: reason) }
                try? await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: closeData(code: 1000)))
                return .closed(code: code, reason: reason)
            default:
                return .unexpectedMessage("websocket opcode \(frame.opcode)")
            }
        }
        return .closed(code: nil, reason: "the connection ended")
    }
}
