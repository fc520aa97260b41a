import Foundation
import PrefectClient
import Synchronization

/// The runs of a runtime that have started and not ended, so that a termination signal can
/// mark each of them Crashed before the process exits.
final class ActiveRuns: Sendable {
    enum Run: Hashable, Sendable {
        case flow(UUID)
        case task(UUID)
    }

    private let runs = Mutex<[Run: PrefectClient]>([:])

    func add(_ run: Run, client: PrefectClient) {
        _ = runs.withLock { $0.updateValue(client, forKey: run) }
    }

    func remove(_ run: Run) {
        _ = runs.withLock { $0.removeValue(forKey: run) }
    }

    var all: [(run: Run, client: PrefectClient)] {
        runs.withLock { runs in runs.map { (run: $0.key, client: $0.value) } }
    }
}
