import GRDB
import Synchronization

/// Checkpoints the database's write-ahead log from a connection of its own, so that no
/// request waits for it.
///
/// SQLite checkpoints by default inside the commit that takes the WAL past 1,000 pages: that
/// commit copies the pages into the database file and waits for `fdatasync`, and the request
/// behind it waits milliseconds (the `POST /flow_runs/` p99 tail, seen in `perf` as
/// `sqlite3WalDefaultHook` → `fdatasync` under GRDB's commit). Here every
/// ``commitsPerCheckpoint``-th commit hands a passive checkpoint to this connection's own
/// queue: it copies what no reader still needs while the writer goes on appending, and a
/// checkpoint still running makes the next one wait for the following round. The writer keeps
/// SQLite's own checkpoint only as a backstop (``writerBackstopPages``), should this one fall
/// behind.
final class WALCheckpointer: TransactionObserver, Sendable {
    /// Commits between two checkpoints (a flow-run create writes about a dozen pages).
    static let commitsPerCheckpoint = 32
    /// The writer's `wal_autocheckpoint`: it checkpoints by itself only past this many pages.
    static let writerBackstopPages = 10_000

    private struct Progress {
        var commits = 0
        var running = false
        var completed = 0
    }

    private let connection: DatabaseQueue
    private let progress = Mutex(Progress())

    /// Opens the checkpointing connection to the (already migrated) database at `path`.
    ///
    /// - Throws: ``PrefectServerError/databaseUnavailable(path:reason:)`` when it cannot.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "PrefectDatabase.checkpointer"
        do {
            connection = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw PrefectServerError.databaseUnavailable(path: path, reason: "cannot open the WAL checkpointer: \(error)")
        }
    }

    /// The checkpoints this connection finished (for tests and diagnostics).
    var completedCheckpoints: Int { progress.withLock { $0.completed } }

    /// Closes the connection once the checkpoint it may be running ends.
    func close() throws {
        try connection.close()
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseDidCommit(_ db: Database) {
        let start = progress.withLock { progress -> Bool in
            progress.commits += 1
            guard progress.commits >= Self.commitsPerCheckpoint, !progress.running else { return false }
            progress.commits = 0
            progress.running = true
            return true
        }
        guard start else { return }
        connection.asyncWriteWithoutTransaction { [self] db in
            // Busy (the writer's backstop checkpointing) or closing: the next round tries again.
            let done = (try? db.checkpoint(.passive)) != nil
            self.progress.withLock {
                $0.running = false
                if done { $0.completed += 1 }
            }
        }
    }

    func databaseDidRollback(_ db: Database) {}
}
