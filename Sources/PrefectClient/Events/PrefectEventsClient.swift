public import Foundation
public import Logging

/// Streams events to Prefect's `/events/in` websocket, as Prefect's `PrefectEventsClient`
/// (`prefect/events/clients.py`) does: events are kept until a checkpoint confirms them (a ping
/// whose pong means the server read everything before it, every ``checkpointEvery`` events and
/// at least every ``checkpointInterval``), and after a lost connection the client reconnects
/// (up to ``reconnectionAttempts`` times) and sends the unconfirmed ones again. The server
/// keeps one event per id, so an event sent twice is stored once.
///
/// ```swift
/// let events = try PrefectEventsClient(settings: .current())
/// try await events.emit(Event(event: "shop.order.shipped", resource: EventResource(id: "shop.order.42")))
/// try await events.close()   // confirms what is left, then closes
/// ```
public actor PrefectEventsClient {
    /// How often, in events, the client confirms what it sent (Prefect's `checkpoint_every`).
    public let checkpointEvery: Int
    /// The longest time events stay unconfirmed (`checkpoint_interval`).
    public let checkpointInterval: Duration
    /// Reconnections tried for one event before ``emit(_:)`` throws (`reconnection_attempts`).
    public let reconnectionAttempts: Int

    private let endpoint: EventSocketEndpoint
    private let timeout: Duration
    private let logger: Logger
    private var socket: EventSocket?
    private var unconfirmed: [Event] = []
    private var checkpointTask: Task<Void, Never>?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A client of `apiURL`'s `/events/in`.
    ///
    /// - Parameters:
    ///   - authString: the server's `PREFECT_SERVER_API_AUTH_STRING`, sent in the handshake
    ///     and as Basic credentials.
    ///   - apiKey: a Prefect Cloud API key, sent as a Bearer token.
    ///   - timeout: for connecting and for each pong.
    public init(
        apiURL: URL, authString: String? = nil, apiKey: String? = nil, reconnectionAttempts: Int = 10,
        checkpointEvery: Int = 700, checkpointInterval: Duration = .seconds(30), timeout: Duration = .seconds(30),
        tlsInsecureSkipVerify: Bool = false, caCertificateFile: String? = nil,
        logger: Logger = Logger(label: "prefect.events")
    ) throws {
        guard reconnectionAttempts >= 0 else {
            throw PrefectArgumentError(argument: "reconnectionAttempts", message: "must be a non-negative integer")
        }
        endpoint = try EventSocketEndpoint(
            apiURL: apiURL, path: "/events/in", authString: authString, apiKey: apiKey, handshakeWithAPIKey: false,
            tls: .init(insecureSkipVerify: tlsInsecureSkipVerify, caCertificateFile: caCertificateFile))
        self.reconnectionAttempts = reconnectionAttempts
        self.checkpointEvery = max(1, checkpointEvery)
        self.checkpointInterval = checkpointInterval
        self.timeout = timeout
        self.logger = logger
    }

    /// A client of the API `settings` name (`PREFECT_API_URL`, its auth string or API key, TLS).
    ///
    /// - Throws: ``PrefectArgumentError`` when the settings name no API (the embedded server
    ///   has no websockets in-process).
    public init(settings: PrefectSettings, logger: Logger = Logger(label: "prefect.events")) throws {
        let options = EventSocketOptions(settings: settings)
        try self.init(
            apiURL: EventSocketEndpoint.apiURL(settings), authString: settings.authString, apiKey: settings.apiKey,
            timeout: options.timeout, tlsInsecureSkipVerify: options.tls.insecureSkipVerify,
            caCertificateFile: options.tls.caCertificateFile, logger: logger)
    }

    /// How many sent events no checkpoint has confirmed yet.
    public var unconfirmedCount: Int { unconfirmed.count }

    /// Sends `event`; it stays unconfirmed until the next checkpoint.
    ///
    /// - Throws: ``EventSocketError`` when no connection could be made in
    ///   ``reconnectionAttempts`` + 1 tries, or the server refused the credentials; the event is
    ///   kept and sent again on the next connection.
    public func emit(_ event: Event) async throws {
        await acquire()
        defer { release() }
        unconfirmed.append(event)
        try await withReconnection { reconnected in
            // A reconnection sent every unconfirmed event, this one included.
            if !reconnected { try await self.send(event) }
            if self.unconfirmed.count >= self.checkpointEvery { try await self.checkpoint() }
        }
    }

    /// Confirms every event sent so far (a checkpoint now), reconnecting and sending them
    /// again if the connection was lost.
    public func flush() async throws {
        await acquire()
        defer { release() }
        guard !unconfirmed.isEmpty else { return }
        try await withReconnection { _ in try await self.checkpoint() }
    }

    /// Closes the socket and hands back the events no checkpoint confirmed, which this client
    /// then forgets: for a caller that sends them another way (`POST /events`). The server keeps
    /// one event per id, so one that had arrived is stored once.
    public func abandon() async -> [Event] {
        await acquire()
        defer { release() }
        let left = unconfirmed
        unconfirmed = []
        await disconnect()
        return left
    }

    /// Confirms what is left (``flush()``), then closes the socket.
    public func close() async throws {
        do {
            try await flush()
        } catch {
            await disconnect()
            throw error
        }
        await disconnect()
    }

    private func disconnect() async {
        checkpointTask?.cancel()
        checkpointTask = nil
        if let socket {
            self.socket = nil
            await socket.close()
        }
    }

    /// Runs `body` on a connection, reconnecting (which resends the unconfirmed events) after
    /// a retryable failure, quickly twice and then once a second, as Prefect's `_emit`.
    private func withReconnection(_ body: (_ reconnected: Bool) async throws -> Void) async throws {
        for attempt in 0...reconnectionAttempts {
            do {
                var reconnected = false
                if socket == nil || attempt > 0 {
                    try await reconnect()
                    reconnected = true
                }
                try await body(reconnected)
                return
            } catch let error as EventSocketError where !error.isRetryable {
                throw error
            } catch {
                logger.debug("event websocket failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                if attempt == reconnectionAttempts {
                    logger.warning(
                        "Unable to connect to \(endpoint.url.absoluteString). Event data may be lost. Reason: \(error)")
                    throw error
                }
                if attempt > 2 { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }

    /// `_reconnect`: a new socket, the handshake, then every unconfirmed event again.
    private func reconnect() async throws {
        if let old = socket {
            socket = nil
            await old.close()
        }
        let socket = try await EventSocket.connect(endpoint, timeout: timeout)
        do {
            try await socket.ping(timeout: timeout)
            if endpoint.performsHandshake {
                var messages = socket.messages.makeAsyncIterator()
                try await EventHandshake.authenticate(socket, token: endpoint.token, reading: &messages)
            }
            for event in unconfirmed {
                try await socket.send(json: event)
            }
        } catch {
            await socket.close()
            throw error
        }
        self.socket = socket
        startCheckpointTimer()
    }

    private func send(_ event: Event) async throws {
        guard let socket else { throw EventSocketError.closed(code: nil, reason: nil) }
        try await socket.send(json: event)
    }

    /// A ping; once its pong is in, the events sent before it are confirmed.
    private func checkpoint() async throws {
        guard let socket else { throw EventSocketError.closed(code: nil, reason: nil) }
        let count = unconfirmed.count
        try await socket.ping(timeout: timeout)
        unconfirmed.removeFirst(min(count, unconfirmed.count))
    }

    /// `_checkpoint_loop`: every ``checkpointInterval``, confirm what is unconfirmed,
    /// reconnecting to send it again if the connection was lost.
    private func startCheckpointTimer() {
        checkpointTask?.cancel()
        let interval = checkpointInterval
        checkpointTask = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                try? await self.flush()
            }
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
