public import Foundation
public import HTTPTypes
public import PrefectClient
import Synchronization

/// Passes every exchange to a real transport and records the method and path of each request,
/// so a test against a real server can count what the client sent.
public final class RecordingTransport: HTTPTransport {
    private let wrapped: any HTTPTransport
    private let sent = Mutex<[String]>([])

    public init(wrapping transport: any HTTPTransport) {
        self.wrapped = transport
    }

    /// `"METHOD /path?query"` of every request, in order.
    public var requests: [String] { sent.withLock { $0 } }

    public func send(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse {
        sent.withLock { $0.append("\(request.method.rawValue) \(request.path ?? "")") }
        return try await wrapped.send(request, body: body)
    }

    public func shutdown() async throws {
        try await wrapped.shutdown()
    }
}
