public import Foundation
public import Logging

/// The events of Prefect's `/events/out` websocket that match a filter, as they happen, as an
/// `AsyncSequence` (Prefect's `PrefectEventSubscriber`, `prefect/events/clients.py`). Each
/// connection asks for a backfill from a minute before the newest event seen, so a reconnection
/// misses nothing, and events already seen are skipped, so none comes twice. A lost connection
/// is retried (``reconnectionAttempts`` times in a row); a normal close by the server ends the
/// sequence unless ``reconnectsOnCleanClose``.
///
/// ```swift
/// let subscriber = try PrefectEventSubscriber(
///     settings: .current(), filter: EventFilter(event: .init(prefix: ["prefect.flow-run."])))
/// for try await event in subscriber {
///     print(event.occurred, event.resource.id, event.event)
/// }
/// ```
public struct PrefectEventSubscriber: AsyncSequence, Sendable {
    public typealias Element = ReceivedEvent

    /// How many events the subscriber remembers to skip doubles (`SEEN_EVENTS_SIZE`).
    static let seenCapacity = 500_000

    public let filter: EventFilter
    public let reconnectionAttempts: Int
    public let reconnectsOnCleanClose: Bool
    private let endpoint: EventSocketEndpoint
    private let timeout: Duration
    private let logger: Logger

    /// A subscriber of `apiURL`'s `/events/out`. The filter's `occurred` window is replaced by
    /// the subscriber's own (from the backfill point to a year ahead), as Prefect's is.
    public init(
        apiURL: URL, filter: EventFilter = EventFilter(), authString: String? = nil, apiKey: String? = nil,
        reconnectionAttempts: Int = 10, reconnectsOnCleanClose: Bool = false, timeout: Duration = .seconds(30),
        tlsInsecureSkipVerify: Bool = false, caCertificateFile: String? = nil, logger: Logger = Logger(label: "prefect.events")
    ) throws {
        guard reconnectionAttempts >= 0 else {
            throw PrefectArgumentError(argument: "reconnectionAttempts", message: "must be a non-negative integer")
        }
        endpoint = try EventSocketEndpoint(
            apiURL: apiURL, path: "/events/out", authString: authString, apiKey: apiKey, handshakeWithAPIKey: true,
            tls: .init(insecureSkipVerify: tlsInsecureSkipVerify, caCertificateFile: caCertificateFile))
        self.filter = filter
        self.reconnectionAttempts = reconnectionAttempts
        self.reconnectsOnCleanClose = reconnectsOnCleanClose
        self.timeout = timeout
        self.logger = logger
    }

    /// A subscriber of the API `settings` name.
    public init(settings: PrefectSettings, filter: EventFilter = EventFilter(), logger: Logger = Logger(label: "prefect.events")) throws {
        let options = EventSocketOptions(settings: settings)
        try self.init(
            apiURL: EventSocketEndpoint.apiURL(settings), filter: filter, authString: settings.authString, apiKey: settings.apiKey,
            timeout: options.timeout, tlsInsecureSkipVerify: options.tls.insecureSkipVerify,
            caCertificateFile: options.tls.caCertificateFile, logger: logger)
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<ReceivedEvent, any Error>.Iterator {
        let (stream, continuation) = AsyncThrowingStream<ReceivedEvent, any Error>.makeStream(bufferingPolicy: .bufferingOldest(1024))
        let task = Task { [self] in
            do {
                try await run(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream.makeAsyncIterator()
    }

    /// Connects, reads, and reconnects as `__anext__` does, until cancelled or out of attempts.
    private func run(_ output: AsyncThrowingStream<ReceivedEvent, any Error>.Continuation) async throws {
        var seen = SeenEvents(capacity: Self.seenCapacity)
        var backfillSince: Date?
        var failures = 0
        var cleanCloses = 0
        while !Task.isCancelled {
            var socket: EventSocket?
            do {
                let connected = try await EventSocket.connect(endpoint, timeout: timeout)
                socket = connected
                var messages = connected.messages.makeAsyncIterator()
                try await connected.ping(timeout: timeout)
                try await EventHandshake.authenticate(connected, token: endpoint.token, reading: &messages)
                let now = Date()
                let since = backfillSince ?? now.addingTimeInterval(-60)
                backfillSince = since
                var windowed = filter
                windowed.occurred = EventFilter.Occurred(since: since, until: now.addingTimeInterval(365 * 86_400))
                try await connected.send(json: FilterMessage(filter: windowed))
                failures = 0
                while let text = try await messages.next() {
                    let message = try PrefectJSON.decode(SubscriberMessage.self, from: Data(text.utf8))
                    guard let received = message.event, seen.insert(received.event.id) else { continue }
                    let replaySince = received.event.occurred.addingTimeInterval(-60)
                    if replaySince > backfillSince ?? since { backfillSince = replaySince }
                    if case .dropped = output.yield(received) { logger.warning("an event subscriber fell 1,024 events behind") }
                }
            } catch let error as EventSocketError where !error.isRetryable {
                await socket?.close()
                throw error
            } catch EventSocketError.closed(code: 1000, _) {
                await socket?.close()
                guard reconnectsOnCleanClose else { return }
                cleanCloses += 1
                failures += 1
                if cleanCloses > reconnectionAttempts { throw EventSocketError.closed(code: 1000, reason: nil) }
                if cleanCloses > 2 { try await Task.sleep(for: .seconds(1)) }
                continue
            } catch is CancellationError {
                await socket?.close()
                return
            } catch {
                await socket?.close()
                failures += 1
                logger.debug("event subscription failed", metadata: ["attempt": "\(failures)", "error": "\(error)"])
                if failures > reconnectionAttempts { throw error }
                if failures > 2 { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }
}

/// The subscription: `{"type": "filter", "filter": …}` (a backfill is asked for by default).
private struct FilterMessage: Encodable {
    var type = "filter"
    var filter: EventFilter
}

/// What `/events/out` sends: `{"type": "event", "event": …}`.
private struct SubscriberMessage: Decodable {
    var type: String
    var event: ReceivedEvent?
}

/// The ids seen lately, oldest forgotten first once there are `capacity`.
struct SeenEvents {
    private var ids: Set<UUID> = []
    private var order: [UUID] = []
    private var start = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// False when `id` was seen already.
    mutating func insert(_ id: UUID) -> Bool {
        guard ids.insert(id).inserted else { return false }
        order.append(id)
        if ids.count > capacity {
            ids.remove(order[start])
            start += 1
            if start > capacity {
                order.removeFirst(start)
                start = 0
            }
        }
        return true
    }
}
