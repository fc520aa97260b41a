import Foundation
import Hummingbird
import HummingbirdWebSocket
public import Logging
import NIOCore
public import ServiceLifecycle

/// `prefect-swift server start`'s listener: the embedded API on the network, as a
/// swift-service-lifecycle `Service` (Hummingbird's HTTP/1.1 server, with the event websockets
/// of ``EventSocketRoutes``) that finishes the requests in flight on graceful shutdown.
public struct PrefectServerService: Service {
    /// Where to listen.
    public struct Address: Sendable, Hashable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int

        public init(host: String = "127.0.0.1", port: Int = 4200) {
            self.host = host
            self.port = port
        }
    }

    private let app: PrefectServerApp
    private let ui: PrefectUI?
    private let address: Address
    private let onListening: @Sendable (Int) async -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - app: the API to serve; the caller opens and closes it.
    ///   - ui: Prefect's UI, served outside `/api`; nil for none.
    ///   - onListening: called once with the bound port, when the server accepts connections.
    public init(
        app: PrefectServerApp, ui: PrefectUI? = nil, address: Address, logger: Logger = Logger(label: "prefect.server"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.app = app
        self.ui = ui
        self.address = address
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until graceful shutdown.
    ///
    /// - Throws: ``PrefectServerError/cannotListen(host:port:reason:)`` when the address cannot be bound.
    public func run() async throws {
        let onListening = self.onListening
        let ui = self.ui
        let host = address.host.contains(":") ? "[\(address.host)]" : address.host
        let env = RouteEnvironment(database: app.database)
        let authString = app.options.authString
        let streamsLogs = app.options.logsStreamOutEnabled
        let application = Application(
            responder: PrefectResponder(app: app, ui: ui),
            server: .http1WebSocketUpgrade(
                configuration: .init(ws: .init(maxFrameSize: EventSocketRoutes.maximumMessageSize))
            ) { request, _, _ in
                EventSocketRoutes.upgrade(request, env: env, authString: authString, streamsLogs: streamsLogs)
            },
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: "prefect-swift"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                ui?.serverIsListening(apiURL: "http://\(host):\(port)/api")
                await onListening(port)
            },
            logger: logger)
        do {
            try await application.run()
        } catch where Self.isBindFailure(error) {
            throw PrefectServerError.cannotListen(host: address.host, port: address.port, reason: Self.reason(error))
        }
    }

    private static func isBindFailure(_ error: any Error) -> Bool {
        error is IOError || error is SocketAddressError || String(describing: error).contains("bind")
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE { return "the address is already in use" }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return String(describing: error)
    }
}

/// Hands network requests to the app, which answers every one in Prefect's shapes, and those
/// outside `/api` to the UI when it is served.
private struct PrefectResponder: HTTPResponder {
    let app: PrefectServerApp
    let ui: PrefectUI?

    func respond(to request: Request, context: PrefectRequestContext) async throws -> Response {
        if let ui, PrefectUI.isUIPath(request.uri.path) { return ui.respond(to: request) }
        return await app.respond(to: request, context: context)
    }
}
