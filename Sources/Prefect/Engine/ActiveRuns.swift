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

    /// How a run's crash reaches the server: proposed with `client`, or, for a task run
    /// reported as events, as its reporter's next state.
    struct Entry: Sendable {
        let client: PrefectClient
        let events: TaskRunEventReporter?
    }

    private let runs = Mutex<[Run: Entry]>([:])

    func add(_ run: Run, client: PrefectClient, events: TaskRunEventReporter? = nil) {
        _ = runs.withLock { $0.updateValue(Entry(client: client, events: events), forKey: run) }
    }

    func remove(_ run: Run) {
        _ = runs.withLock { $0.removeValue(forKey: run) }
    }

    var all: [(run: Run, entry: Entry)] {
        runs.withLock { runs in runs.map { (run: $0.key, entry: $0.value) } }
    }
}
