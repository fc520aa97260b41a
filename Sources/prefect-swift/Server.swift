import ArgumentParser
import Foundation
import Logging
import PrefectClient
import PrefectServer
import ServiceLifecycle
import UnixSignals

/// `prefect-swift server`: the embedded Prefect API.
struct Server: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the embedded Prefect API.", subcommands: [Start.self, Routes.self])
}

/// `prefect-swift server routes`: the routes the embedded API serves, one `METHOD /path` a line.
struct Routes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the routes the embedded Prefect API serves.")

    func run() async throws {
        let routes: [String]
        do {
            routes = try ServedRoutes.list()
        } catch {
            throw CommandFailure("\(error)")
        }
        print(routes.joined(separator: "\n"))
    }
}

/// `prefect-swift server start`: serves the embedded API on the network, so any Prefect client
/// (the Python one included) can use it; stops gracefully on SIGINT and SIGTERM.
struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the embedded Prefect API until SIGINT or SIGTERM.")

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 4200

    @Option(help: "The SQLite database (default: $PREFECT_HOME/prefect-swift.db).")
    var database: String?

    @Flag(
        inversion: .prefixedNo,
        help: "Require CSRF tokens for writes (default: PREFECT_SERVER_CSRF_PROTECTION_ENABLED, else off).")
    var csrfProtection: Bool?

    @Option(help: "Require this user:password as basic auth (default: PREFECT_SERVER_API_AUTH_STRING, else none).")
    var authString: String?

    @Flag(
        inversion: .prefixedNo,
        help: "Serve Prefect's UI (default: PREFECT_SERVER_UI_ENABLED, else on). The first start without a local prefect 3.9.1 downloads its wheel from PyPI.")
    var ui: Bool?

    @Flag(help: "Run no background service (late runs, pause expirations, cancellation clean-up); each has its own PREFECT_SERVER_SERVICES_*_ENABLED.")
    var noServices = false

    func run() async throws {
        let settings: PrefectSettings
        var options: PrefectServerOptions
        let services: PrefectServerServices
        var uiOptions: PrefectUIOptions
        do {
            settings = try PrefectSettings.load()
            options = try PrefectServerOptions.load()
            uiOptions = try PrefectUIOptions.load()
            services = noServices ? .none : try PrefectServerServices.load()
        } catch {
            throw CommandFailure("\(error)")
        }
        if let csrfProtection { options.csrfProtectionEnabled = csrfProtection }
        if let authString { options.authString = authString }
        var logger = Logger(label: "prefect.server")
        logger.logLevel = .warning
        if options.authString == nil, !Self.isLoopback(host) {
            FileHandle.standardError.write(Data(
                "Warning: serving on \(host) without an auth string; anyone who can reach it can use the API. Set PREFECT_SERVER_API_AUTH_STRING or --auth-string.\n".utf8))
        }
        let path = database ?? EmbeddedPrefect.defaultDatabasePath(settings: settings)
        let app: PrefectServerApp
        do {
            app = try PrefectServerApp.open(databasePath: path, logger: logger, options: options)
        } catch {
            throw CommandFailure("\(error)")
        }
        defer { app.close() }
        if let ui { uiOptions.enabled = ui }
        let prepared = await PrefectUI.prepare(options: uiOptions, serverOptions: options, progress: Self.showProgress)
        let servedUI = try? prepared.get()
        let host = self.host
        let service = PrefectServerService(app: app, ui: servedUI, address: .init(host: host, port: port), logger: logger) { port in
            let shownHost = host.contains(":") ? "[\(host)]" : host
            let root = "http://\(shownHost):\(port)"
            let dashboard: String
            switch prepared {
            case .success(let ui): dashboard = "Check out the dashboard at \(ui.address(root: root)) (Prefect's UI, from \(ui.origin))."
            case .failure(let reason): dashboard = reason.description
            }
            let banner = """
                PREFECT_API_URL=\(root)/api
                Serving the embedded Prefect API on database \(path); SIGINT or SIGTERM stops it.
                \(dashboard)

                """
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [service] + app.backgroundServices(services), gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as PrefectServerError {
            throw CommandFailure("\(error)")
        } catch let error as ServiceGroupError {
            throw CommandFailure("the server stopped: \(error)")
        }
    }

    /// The download's progress: one line rewritten in place on a terminal; its start and end
    /// otherwise.
    @Sendable static func showProgress(_ line: String) {
        let done = line.hasSuffix(": 100 %")
        if isatty(STDERR_FILENO) != 0 {
            FileHandle.standardError.write(Data(("\r" + line + (done ? "\n" : "")).utf8))
        } else if done || line.hasSuffix(": 0 %") {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Whether `host` is a loopback address, reachable only from this machine.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
