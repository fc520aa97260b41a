public import Foundation
public import Logging
public import PrefectClient
import Synchronization

/// Prefect's ephemeral mode: with no `PREFECT_API_URL`, clients talk to a Prefect API running
/// inside the process, on a SQLite database (`$PREFECT_HOME/prefect-swift.db` by default).
///
/// All embedded clients of one database share one ``PrefectServerApp`` through an
/// ``AppLifespan``: the first opens it, the last one to shut down closes it.
public enum EmbeddedPrefect {
    /// The base URL embedded clients report; no request ever leaves the process.
    public static let apiURL = URL(string: "http://ephemeral-prefect/api")!

    /// The database file name inside `PREFECT_HOME`.
    public static let databaseFileName = "prefect-swift.db"

    private static let lifespans = Mutex<[String: AppLifespan<PrefectServerApp>]>([:])

    /// `$PREFECT_HOME/prefect-swift.db`.
    public static func defaultDatabasePath(settings: PrefectSettings) -> String {
        URL(fileURLWithPath: settings.home).appendingPathComponent(databaseFileName).path
    }

    /// The lifespan shared by every embedded client of the database at `path`.
    public static func lifespan(databasePath path: String) -> AppLifespan<PrefectServerApp> {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return lifespans.withLock { lifespans in
            if let existing = lifespans[key] { return existing }
            let lifespan = AppLifespan<PrefectServerApp>(
                startup: { try PrefectServerApp.open(databasePath: key) },
                shutdown: { app in app.close() })
            lifespans[key] = lifespan
            return lifespan
        }
    }

    /// A client of the embedded server on `databasePath` (default: in `settings.home`), which
    /// holds the shared app until it is shut down.
    public static func client(
        databasePath: String? = nil, settings: PrefectSettings, logger: Logger = Logger(label: "prefect.client")
    ) async throws -> PrefectClient {
        let lifespan = lifespan(databasePath: databasePath ?? defaultDatabasePath(settings: settings))
        let app = try await lifespan.enter()
        let transport = InProcessTransport(app: app) { await lifespan.exit() }
        do {
            return try PrefectClient(
                apiURL: apiURL, transport: transport, serverType: .ephemeral, settings: settings, logger: logger)
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }
}

extension PrefectClient {
    /// The client for `settings`: over the network when `PREFECT_API_URL` is set, otherwise an
    /// embedded client on `$PREFECT_HOME/prefect-swift.db` (Prefect's `get_client`, which falls
    /// back to its ephemeral app).
    public static func forSettings(
        _ settings: PrefectSettings, logger: Logger = Logger(label: "prefect.client")
    ) async throws -> PrefectClient {
        if settings.apiURL != nil {
            return try PrefectClient(settings: settings, logger: logger)
        }
        return try await EmbeddedPrefect.client(settings: settings, logger: logger)
    }
}

/// Runs `body` with the client for `settings` (default: the environment and the active
/// profile) — remote when `PREFECT_API_URL` is set, embedded otherwise — and shuts it down
/// afterwards, whether `body` returns or throws.
public func withPrefectClient<Result: Sendable>(
    settings: PrefectSettings? = nil,
    logger: Logger = Logger(label: "prefect.client"),
    _ body: (PrefectClient) async throws -> Result
) async throws -> Result {
    let client = try await PrefectClient.forSettings(settings ?? PrefectSettings.load(), logger: logger)
    let result: Result
    do {
        result = try await body(client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return result
}
