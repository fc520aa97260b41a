public import Foundation
public import HTTPTypes
import Hummingbird
import Logging
import NIOCore
public import PrefectClient
import Synchronization

/// An ``HTTPTransport`` that hands requests straight to an embedded ``PrefectServerApp``, with
/// no socket: Prefect's `httpx.ASGITransport` path for its ephemeral client. Status, headers and
/// body are the ones the same request gets over the network.
public final class InProcessTransport: HTTPTransport {
    private let app: PrefectServerApp
    private let onShutdown: @Sendable () async -> Void
    private let isShutDown = Atomic<Bool>(false)

    /// A transport into `app`; `onShutdown` runs once, on the first ``shutdown()``.
    public init(app: PrefectServerApp, onShutdown: @escaping @Sendable () async -> Void = {}) {
        self.app = app
        self.onShutdown = onShutdown
    }

    public func send(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse {
        guard !isShutDown.load(ordering: .acquiring) else {
            throw PrefectTransportError(
                kind: .other, method: request.method.rawValue, url: request.path ?? "",
                underlying: "the in-process transport was shut down")
        }
        var head = request
        if let body { head.headerFields[.contentLength] = String(body.count) }
        let hummingbirdRequest = Request(
            head: head, body: RequestBody(buffer: body.map { ByteBuffer(bytes: $0) } ?? ByteBuffer()))
        let response = await app.respond(to: hummingbirdRequest, context: PrefectRequestContext(logger: app.logger))
        let collector = ResponseBodyCollector()
        try await response.body.write(collector)
        return HTTPTransportResponse(head: response.head, body: Data(collector.buffer.readableBytesView))
    }

    public func shutdown() async throws {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await onShutdown()
    }
}

/// Gathers a response body written by the router, within the one request that owns it.
final class ResponseBodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
