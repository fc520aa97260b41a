import Foundation
import HTTPTypes
import PrefectClient
import Synchronization

/// Counts every attempt the client makes (retries included), the responses and the non-2xx
/// statuses, as the Python benchmark's httpx event hooks do.
final class CountingTransport: HTTPTransport {
    struct Snapshot: Sendable {
        var requests = 0
        var responses = 0
        var nonSuccess: [String: Int] = [:]
    }

    private let wrapped: any HTTPTransport
    private let counts = Mutex(Snapshot())

    init(wrapping transport: any HTTPTransport) {
        wrapped = transport
    }

    func snapshot() -> Snapshot { counts.withLock { $0 } }

    func send(_ request: HTTPRequest, body: Data?) async throws -> HTTPTransportResponse {
        counts.withLock { $0.requests += 1 }
        let response = try await wrapped.send(request, body: body)
        counts.withLock { counts in
            counts.responses += 1
            if response.head.status.code >= 300 {
                counts.nonSuccess[String(response.head.status.code), default: 0] += 1
            }
        }
        return response
    }

    func shutdown() async throws {
        try await wrapped.shutdown()
    }
}
