import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import PrefectSchemas

/// The event and log websockets (Prefect's `server/api/events.py`, `server/api/logs.py`):
/// `/events/in` stores the events a client streams, `/events/out` streams the events that
/// match a filter, after the last 15 minutes' backfill, `/logs/out` streams the logs that match
/// a filter as they are written (``LogSocket``), `/task_runs/subscriptions/scheduled` hands
/// background task runs to task workers (``TaskRunSubscription``). All open with Prefect's handshake
/// (`accept_prefect_socket`): the `prefect` subprotocol, then an `auth` message answered with
/// `auth_success`.
enum EventSocketRoutes {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    /// The largest message read (uvicorn's `ws_max_size`).
    static let maximumMessageSize = 16 * 1024 * 1024
    /// `PREFECT_SERVER_EVENTS_MAXIMUM_WEBSOCKET_BACKFILL`.
    static let maximumBackfill: TimeInterval = 15 * 60
    /// `PREFECT_SERVER_EVENTS_WEBSOCKET_BACKFILL_PAGE_SIZE`.
    static let backfillPageSize = 250

    private enum Stream: Equatable {
        case eventsIn, eventsOut, logsOut, scheduledTaskRuns
        case workerChannel(pool: String)
    }

    private enum Ended {
        case reader, stream
    }

    /// The upgrade for a websocket request to `/api/events/in`, `/api/events/out`,
    /// `/api/logs/out`, `/api/task_runs/subscriptions/scheduled` or
    /// `/api/work_pools/{name}/workers/connect` (``WorkerChannelSocket``); any other request
    /// stays HTTP. The worker channel needs the `prefect` subprotocol: without it the upgrade is
    /// refused (with 400; Prefect's uvicorn answers 403).
    static func upgrade(
        _ request: HTTPRequest, env: RouteEnvironment, authString: String?, streamsLogs: Bool
    ) -> ShouldUpgradeResult<Handler> {
        let path = (request.path ?? "").split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let stream: Stream
        switch path {
        case "/api/events/in": stream = .eventsIn
        case "/api/events/out": stream = .eventsOut
        case "/api/logs/out": stream = .logsOut
        case "/api/task_runs/subscriptions/scheduled": stream = .scheduledTaskRuns
        default:
            guard let pool = workerChannelPool(path) else { return .dontUpgrade }
            stream = .workerChannel(pool: pool)
        }
        let subprotocols = request.headerFields[values: .secWebSocketProtocol]
            .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let prefectProtocol = subprotocols.contains("prefect")
        if case .workerChannel = stream, !prefectProtocol { return .dontUpgrade }
        var headers = HTTPFields()
        if prefectProtocol { headers[.secWebSocketProtocol] = "prefect" }
        return .upgrade(headers) { inbound, outbound, context in
            let (texts, received) = AsyncStream<String>.makeStream()
            try await withThrowingTaskGroup(of: Ended.self) { group in
                group.addTask {
                    defer { received.finish() }
                    var messages = inbound.messages(maxSize: maximumMessageSize).makeAsyncIterator()
                    while let message = try await messages.next() {
                        if case .text(let text) = message { received.yield(text) }
                    }
                    return .reader
                }
                group.addTask {
                    var messages = texts.makeAsyncIterator()
                    var failureReason: String?
                    if case .workerChannel = stream { failureReason = WorkerChannelSocket.CloseReason.authenticationFailed.rawValue }
                    guard try await accept(
                        prefectProtocol: prefectProtocol, authString: authString, failureReason: failureReason, &messages, outbound)
                    else {
                        return .stream
                    }
                    switch stream {
                    case .eventsIn: try await streamIn(&messages, outbound, env, context.logger)
                    case .eventsOut: try await streamOut(&messages, outbound, env)
                    case .logsOut: try await LogSocket.streamOut(&messages, outbound, env, streaming: streamsLogs)
                    case .scheduledTaskRuns: try await TaskRunSubscription.serve(&messages, outbound, env)
                    case .workerChannel(let pool): try await WorkerChannelSocket.serve(poolName: pool, &messages, outbound, env)
                    }
                    return .stream
                }
                // An outbound stream ends when its client goes; an inbound one stores what it
                // read first.
                while let ended = try await group.next() {
                    if ended == .reader, stream != .eventsIn { group.cancelAll() }
                }
            }
        }
    }

    /// The pool of a worker channel path, percent-decoded.
    private static func workerChannelPool(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].isEmpty, parts[1] == "api", parts[2] == "work_pools", !parts[3].isEmpty,
              parts[4] == "workers", parts[5] == "connect" else { return nil }
        return String(parts[3]).removingPercentEncoding
    }

    /// `accept_prefect_socket`: false when the socket was closed instead. `failureReason`
    /// (`authentication_failed_reason`) replaces the reason of every refusal.
    private static func accept(
        prefectProtocol: Bool, authString: String?, failureReason: String? = nil, _ messages: inout AsyncStream<String>.Iterator,
        _ outbound: WebSocketOutboundWriter
    ) async throws -> Bool {
        guard prefectProtocol else {
            // Legacy clients without the handshake are served unless the server has an auth string.
            guard authString == nil else {
                try await outbound.close(.protocolError, reason: nil)
                return false
            }
            return true
        }
        guard let text = await messages.next() else { return false }
        let message = try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8))
        guard message?["type"]?.stringValue == "auth" else {
            try await outbound.close(.policyViolation, reason: failureReason ?? "Expected 'auth' message")
            return false
        }
        if let authString {
            guard let token = message?["token"]?.stringValue, !token.isEmpty else {
                try await outbound.close(.policyViolation, reason: failureReason ?? "Auth required but no token provided")
                return false
            }
            guard ConstantTime.equal(token, authString) else {
                try await outbound.close(.policyViolation, reason: failureReason ?? "Invalid token")
                return false
            }
        }
        try await outbound.write(.text(#"{"type": "auth_success"}"#))
        return true
    }

    /// `stream_events_in`: each message one event, stored as it arrives (an id already stored
    /// is kept once). A message that is not an event ends the socket with 1011, as an error in
    /// Prefect's handler does.
    private static func streamIn(
        _ messages: inout AsyncStream<String>.Iterator, _ outbound: WebSocketOutboundWriter, _ env: RouteEnvironment, _ logger: Logger
    ) async throws {
        while let text = await messages.next() {
            let event: Event
            do {
                event = try PrefectJSON.decode(Event.self, from: Data(text.utf8))
            } catch {
                logger.warning("an /events/in message is not an event", metadata: ["error": "\(error)"])
                try await outbound.close(.unexpectedServerError, reason: nil)
                return
            }
            try await env.record([event], received: Date())
        }
    }

    /// `stream_workspace_events_out`: a `filter` message (its window clamped to the last
    /// 15 minutes, oldest first), then the backfill unless `backfill` is false, then each new
    /// event that matches, none twice.
    private static func streamOut(
        _ messages: inout AsyncStream<String>.Iterator, _ outbound: WebSocketOutboundWriter, _ env: RouteEnvironment
    ) async throws {
        guard let message = try await filterMessage(&messages, outbound) else { return }
        let now = Date()
        var filter: ServedEventFilter
        do {
            filter = try ServedEventFilter.parse(message["filter"], now: now)
        } catch {
            try await outbound.close(.protocolError, reason: "Invalid filter: \(error)")
            return
        }
        filter.since = max(filter.since, now.addingTimeInterval(-maximumBackfill))
        filter.ascending = true
        // Subscribed before the backfill is read, so nothing stored meanwhile is missed.
        let feed = env.database.eventFeed.subscribe()
        var backfilled = Set<String>()
        if message["backfill"]?.boolValue ?? true {
            var offset = 0
            while true {
                let page = try await env.read { [filter, offset] in
                    try EventStore.bodies($0, filter, limit: backfillPageSize, offset: offset)
                }
                for (id, body) in page {
                    backfilled.insert(id)
                    try await send(body, outbound)
                }
                guard page.count == backfillPageSize else { break }
                offset += page.count
            }
        }
        for await id in feed {
            if backfilled.remove(id.prefectString) != nil { continue }
            guard let body = try await env.read({ [filter] in try EventStore.body($0, id: id, matching: filter) }) else { continue }
            try await send(body, outbound)
        }
    }

    /// The next message when it is a `filter` message; otherwise the socket is closed (1002,
    /// "Expected 'filter' message") or was, and nil.
    static func filterMessage(
        _ messages: inout AsyncStream<String>.Iterator, _ outbound: WebSocketOutboundWriter
    ) async throws -> JSONValue? {
        guard let text = await messages.next() else { return nil }
        guard let message = try? PrefectJSON.decode(JSONValue.self, from: Data(text.utf8)), message["type"]?.stringValue == "filter" else {
            try await outbound.close(.protocolError, reason: "Expected 'filter' message")
            return nil
        }
        return message
    }

    private static func send(_ event: Data, _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(#"{"type": "event", "event": "# + String(decoding: event, as: UTF8.self) + "}"))
    }
}
