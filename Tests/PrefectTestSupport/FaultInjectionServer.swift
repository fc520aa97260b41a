public import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on a loopback port that answers each request as a test says:
/// a response, a connection closed mid-response, a reset, or no answer at all.
///
/// It records every request so a test can count attempts and read the headers sent.
public final class FaultInjectionServer: Sendable {
    /// A request as the server received it.
    public struct Request: Sendable {
        public var method: String
        /// Path with query, e.g. `/api/csrf-token?client=…`.
        public var uri: String
        public var headers: [(name: String, value: String)]
        public var body: Data

        /// The path without the query.
        public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }

        /// The first value of header `name`, ignoring case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// How to answer one request.
    public enum Action: Sendable {
        /// A complete response.
        case respond(status: Int, headers: [(String, String)] = [], body: String = "")
        /// A head announcing `announcedLength` bytes, then `sentBody`, then the connection closes.
        case closeMidResponse(announcedLength: Int, sentBody: String)
        /// Close the connection without answering.
        case closeWithoutResponse
        /// Never answer; the connection stays open until the client gives up or the server stops.
        case stall

        /// A JSON response.
        public static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Action {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    /// Decides the answer for a request; `index` counts requests from 0 across the server's life.
    public typealias Handler = @Sendable (_ request: Request, _ index: Int) async -> Action

    private let channel: any Channel
    private let handler: Handler
    private let state = Mutex<[Request]>([])
    private let acceptTask = Mutex<Task<Void, Never>?>(nil)

    /// The bound port.
    public let port: Int

    /// `http://127.0.0.1:<port>/api`.
    public var apiURL: URL { URL(string: "http://127.0.0.1:\(port)/api")! }

    /// Every request received so far, in order.
    public var requests: [Request] { state.withLock { $0 } }

    private init(channel: any Channel, port: Int, handler: @escaping Handler) {
        self.channel = channel
        self.port = port
        self.handler = handler
    }

    /// Starts a server on 127.0.0.1, port 0.
    public static func start(handler: @escaping Handler) async throws -> FaultInjectionServer {
        let serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: child)
                }
            }
        guard let port = serverChannel.channel.localAddress?.port else {
            throw ChannelError.unknownLocalAddress
        }
        let server = FaultInjectionServer(channel: serverChannel.channel, port: port, handler: handler)
        let task = Task<Void, Never> {
            _ = try? await serverChannel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await server.serve(connection) }
                    }
                }
            }
        }
        server.acceptTask.withLock { $0 = task }
        return server
    }

    /// Runs `body` with a started server and stops the server afterwards.
    public static func with<Result>(
        handler: @escaping Handler, _ body: (FaultInjectionServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(handler: handler)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops accepting, ends every connection (stalled ones included) and waits for it.
    public func stop() async {
        let task = acceptTask.withLock { $0 }
        task?.cancel()
        try? await channel.close()
        await task?.value
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = Data()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = Data()
                case .body(var buffer):
                    body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
                case .end:
                    guard let requestHead = head else { continue }
                    let request = Request(
                        method: requestHead.method.rawValue, uri: requestHead.uri,
                        headers: requestHead.headers.map { ($0.name, $0.value) }, body: body)
                    let index = state.withLock { requests in
                        requests.append(request)
                        return requests.count - 1
                    }
                    let keepGoing = try await answer(await handler(request, index), to: outbound)
                    if !keepGoing { return }
                }
            }
        }
    }

    /// Writes `action`; returns whether the connection stays open.
    private func answer(_ action: Action, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        switch action {
        case .respond(let status, let headers, let body):
            var fields = HTTPHeaders(headers)
            fields.replaceOrAdd(name: "Content-Length", value: String(body.utf8.count))
            try await outbound.write(.head(HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
            try await outbound.write(.end(nil))
            return true
        case .closeMidResponse(let announcedLength, let sentBody):
            let fields = HTTPHeaders([("Content-Length", String(announcedLength)), ("Content-Type", "application/json")])
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: sentBody))))
            return false
        case .closeWithoutResponse:
            return false
        case .stall:
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
            }
            return false
        }
    }
}
