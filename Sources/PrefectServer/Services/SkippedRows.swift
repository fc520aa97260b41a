import Logging
import Synchronization

/// The rows a background service could not handle. A row whose work throws (a body that does
/// not decode, a schedule that yields no dates, a value out of range, a constraint it breaks)
/// is skipped and the pass goes on with the next one; the service logs each such row once,
/// with its id, however many passes meet it again.
final class SkippedRows: Sendable {
    let service: String
    let logger: Logger
    private let reported = Mutex<Set<String>>([])

    /// How many skipped ids are remembered; past that the memory starts again (and a row may
    /// be logged a second time) rather than grow without bound.
    static let remembered = 10_000

    init(service: String, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    /// A recorder whose log goes nowhere, for passes run outside a service (tests, one-off calls).
    static func unlogged(_ service: String) -> SkippedRows {
        SkippedRows(service: service, logger: Logger(label: "prefect.server.services") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Runs `body` for the row `id`; an error other than cancellation skips the row.
    /// - Returns: whether the body completed.
    @discardableResult
    func attempt(_ table: String, _ id: String, _ body: () async throws -> Void) async throws -> Bool {
        do {
            try await body()
            return true
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            report(table, id, error)
            return false
        }
    }

    /// Notes that `id` of `table` was skipped because of `error`; logs it the first time.
    func report(_ table: String, _ id: String, _ error: any Error) {
        let first = reported.withLock { ids -> Bool in
            if ids.count >= Self.remembered { ids.removeAll() }
            return ids.insert("\(table) \(id)").inserted
        }
        guard first else { return }
        logger.error(
            "\(service) skipped a row it cannot handle; it goes on with the others",
            metadata: ["table": "\(table)", "id": "\(id)", "error": "\(String(describing: error).prefix(500))"])
    }

    /// Whether `id` of `table` has been reported (for tests).
    func hasReported(_ table: String, _ id: String) -> Bool {
        reported.withLock { $0.contains("\(table) \(id)") }
    }
}
