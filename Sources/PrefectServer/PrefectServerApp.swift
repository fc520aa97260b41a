import Foundation
import HTTPTypes
import Hummingbird
public import Logging
import NIOCore

/// The embedded Prefect API: the database and the router, ready to answer requests in-process
/// (``InProcessTransport``) or on the network (``PrefectServerService``).
///
/// Open one with ``open(databasePath:logger:)`` and ``close()`` it when done; embedded clients
/// share one app per database through ``EmbeddedPrefect``, which does both for them.
public final class PrefectServerApp: Sendable {
    /// The SQLite file behind the app.
    public let databasePath: String
    let database: PrefectDatabase
    let responder: RouterResponder<PrefectRequestContext>
    let logger: Logger

    /// The protections the app applies.
    public let options: PrefectServerOptions

    private init(database: PrefectDatabase, logger: Logger, options: PrefectServerOptions) {
        self.database = database
        self.databasePath = database.path
        self.options = options
        self.responder = PrefectAPIRouter.make(database: database, options: options).buildResponder()
        self.logger = logger
    }

    /// Opens (creating and migrating if needed) the database at `databasePath`.
    ///
    /// - Parameter options: CSRF protection and basic auth (both off by default).
    /// - Throws: ``PrefectServerError`` when the database cannot be opened or is newer than this
    ///   build; nothing is left open then.
    public static func open(
        databasePath: String, logger: Logger = Logger(label: "prefect.server"), options: PrefectServerOptions = PrefectServerOptions()
    ) throws -> PrefectServerApp {
        PrefectServerApp(database: try PrefectDatabase.open(path: databasePath), logger: logger, options: options)
    }

    /// Closes the database. Requests after this are answered 503.
    public func close() {
        do {
            try database.close()
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(error)"])
        }
    }

    /// Answers one request: the router with Prefect's error shapes around it.
    func respond(to request: Request, context: PrefectRequestContext) async -> Response {
        do {
            return try await responder.respond(to: request, context: context)
        } catch {
            logger.error("unhandled error", metadata: ["error": "\(error)"])
            return JSONResponse.make(["exception_message": "Internal Server Error"], status: .internalServerError)
        }
    }
}
