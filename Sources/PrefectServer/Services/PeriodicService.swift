import Foundation
import Logging
import ServiceLifecycle

/// A service that runs one pass every `interval` until graceful shutdown, as Prefect's
/// perpetual services do (`prefect/server/services/perpetual_services.py`). A pass that fails is
/// logged and the next one runs on time; the writer is never held across passes.
struct PeriodicService: Service {
    let name: String
    let interval: TimeInterval
    let logger: Logger
    let pass: @Sendable (Date) async throws -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await pass(Date())
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.error("\(name) pass failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: .seconds(interval))
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
