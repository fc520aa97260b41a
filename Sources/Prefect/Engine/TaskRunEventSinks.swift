import Foundation
import Logging
import PrefectClient
import Synchronization

/// Where a runtime's task-run events go: its websocket, or `POST /events`.
protocol TaskRunEventSink: Sendable {
    /// Sends `events`, in order; throws when they could not all be delivered.
    func send(_ events: [Event]) async throws
    /// Returns once the server has read everything sent (a websocket checkpoint).
    func confirm() async throws
}

/// `POST /events`: the embedded server in-process (it has no websockets), and the way around
/// a websocket that cannot be used. The server has stored the events when it answers.
struct RESTEventSink: TaskRunEventSink {
    let client: PrefectClient
    /// Events in one request at most.
    static let batchLimit = 500

    func send(_ events: [Event]) async throws {
        for start in stride(from: 0, to: events.count, by: Self.batchLimit) {
            try await client.emitEvents(Array(events[start..<min(start + Self.batchLimit, events.count)]))
        }
    }

    func confirm() async throws {}
}

/// The `/events/in` websocket, as Prefect's engine sends its events; once the socket cannot be
/// used (no connection after its reconnections: a proxy that does not pass websockets, say)
/// the events it left unconfirmed and every later one go by `POST /events`, where the client's
/// retries apply. The server keeps one event per id, so none is recorded twice.
final class SocketEventSink: TaskRunEventSink {
    private let socket: PrefectEventsClient
    private let rest: RESTEventSink
    private let socketFailed = Mutex(false)
    private static let logger = Logger(label: "prefect.task_runs.events")

    init(socket: PrefectEventsClient, client: PrefectClient) {
        self.socket = socket
        rest = RESTEventSink(client: client)
    }

    func send(_ events: [Event]) async throws {
        var sent = 0
        if !socketFailed.withLock({ $0 }) {
            do {
                for event in events {
                    try await socket.emit(event)
                    sent += 1
                }
                return
            } catch {
                // The event that failed is among the unconfirmed ones.
                sent += 1
                try await fallBack(after: error)
            }
        }
        try await rest.send(Array(events[sent...]))
    }

    func confirm() async throws {
        guard !socketFailed.withLock({ $0 }) else { return }
        do {
            try await socket.flush()
        } catch {
            try await fallBack(after: error)
        }
    }

    private func fallBack(after error: any Error) async throws {
        socketFailed.withLock { $0 = true }
        Self.logger.warning("the events websocket cannot be used (\(error)); task-run events go by POST /events")
        try await rest.send(await socket.abandon())
    }
}
