import Foundation
import Logging
import PrefectServer
import ServiceLifecycle

/// The embedded server's background services (the scheduler, late runs, automations, …) run
/// beside a runner or worker whose runtime opens the embedded server in-process: with no
/// `PREFECT_API_URL`, scheduled runs happen with no server at all, as they would under
/// `prefect-swift server start`.
enum EmbeddedServices {
    /// Runs `body`; while it runs, the services of `runtime`'s embedded database run too (when
    /// it has one).
    static func around(_ runtime: PrefectRuntime, _ body: () async throws -> Void) async throws {
        guard let path = try runtime.embeddedDatabasePath() else { return try await body() }
        let lifespan = EmbeddedPrefect.lifespan(databasePath: path)
        let app = try await lifespan.enter()
        let logger = Logger(label: "prefect.server.services")
        let group = ServiceGroup(
            configuration: .init(
                services: app.backgroundServices(try PrefectServerServices.load()), gracefulShutdownSignals: [], logger: logger))
        let services = Task { try await group.run() }
        do {
            try await body()
        } catch {
            await stop(group, services, lifespan)
            throw error
        }
        await stop(group, services, lifespan)
    }

    private static func stop(_ group: ServiceGroup, _ services: Task<Void, any Error>, _ lifespan: AppLifespan<PrefectServerApp>) async {
        await group.triggerGracefulShutdown()
        _ = try? await services.value
        await lifespan.exit()
    }
}
