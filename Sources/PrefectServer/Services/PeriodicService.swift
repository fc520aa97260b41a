import Foundation
import Logging
import PrefectSchemas
import ServiceLifecycle

/// A service that runs one pass every `interval` until graceful shutdown, as Prefect's
/// perpetual services do (`prefect/server/services/perpetual_services.py`). A pass that fails is
/// logged and the next one runs on time; the writer is never held across passes. Rows a pass
/// cannot handle are skipped and logged once each (``SkippedRows``), across passes.
struct PeriodicService: Service {
    let name: String
    let interval: TimeInterval
    let logger: Logger
    let pass: @Sendable (Date, SkippedRows) async throws -> Void

    init(name: String, interval: TimeInterval, logger: Logger, pass: @escaping @Sendable (Date, SkippedRows) async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.pass = pass
    }

    func run() async throws {
        let skipped = SkippedRows(service: name, logger: logger)
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await pass(Date(), skipped)
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.error("\(name) pass failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: .wait(seconds: interval))
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
