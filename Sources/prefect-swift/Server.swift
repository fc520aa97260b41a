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
        abstract: "Run the embedded Prefect API.", subcommands: [Start.self])
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

    func run() async throws {
        let settings: PrefectSettings
        do {
            settings = try PrefectSettings.load()
        } catch {
            throw CommandFailure("\(error)")
        }
        var logger = Logger(label: "prefect.server")
        logger.logLevel = .warning
        let path = database ?? EmbeddedPrefect.defaultDatabasePath(settings: settings)
        let app: PrefectServerApp
        do {
            app = try PrefectServerApp.open(databasePath: path, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        defer { app.close() }
        let host = self.host
        let service = PrefectServerService(app: app, address: .init(host: host, port: port), logger: logger) { port in
            let shownHost = host.contains(":") ? "[\(host)]" : host
            let banner = """
                PREFECT_API_URL=http://\(shownHost):\(port)/api
                Serving the embedded Prefect API on database \(path); SIGINT or SIGTERM stops it.

                """
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as PrefectServerError {
            throw CommandFailure("\(error)")
        } catch let error as ServiceGroupError {
            throw CommandFailure("the server stopped: \(error)")
        }
    }
}
