import GRDB
import GRDBSQLite
import Synchronization

/// Group commit for the API's writes: the writes that arrive while a transaction is open join
/// the next one, so one `BEGIN IMMEDIATE … COMMIT` (one set of WAL frames, one hop to the
/// writer's queue) serves many requests, and each request is still answered only after the
/// transaction holding its write committed.
///
/// Each write of a group of several runs in a savepoint of its own: one that throws is rolled
/// back alone and gets its error, the others go on; a write alone in its transaction runs
/// without one, as it would have by itself. Deferred foreign keys (a state's reference to its
/// run, as a run is inserted after its first state) are checked at the end of each write, as
/// its own commit would have checked them (SQLite's deferred-constraint count, restored by the
/// rollback to the savepoint): a violation fails that write with
/// `SQLITE_CONSTRAINT_FOREIGNKEY` and no other.
/// When SQLite ends the transaction by itself (disk full, I/O error) or the commit fails, every
/// write of the group gets that error and nothing of it was stored.
///
/// Writes are taken in arrival order, at most ``maximumGroup`` per transaction.
final class GroupCommit: Sendable {
    /// Writes per transaction at most: a long group delays the answer of its first write, and
    /// short groups let the next requests be read while one commits (`POST /flow_runs/` at 16
    /// connections: 1,476 ok/s with groups of 8 against 1,355 with groups of 64, three
    /// alternating runs each).
    static let maximumGroup = 8

    /// One write waiting for a transaction.
    private struct Write: Sendable {
        /// Runs the write in the open transaction (in a savepoint unless it is `alone` in it);
        /// returns whether it kept its changes and how to answer it once the transaction ended
        /// (nil: committed).
        let run: @Sendable (Database, _ alone: Bool) -> (kept: Bool, answer: @Sendable ((any Error)?) -> Void)
        /// Answers a write that never ran.
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var writes: [Write] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// The writes waiting for a transaction (for tests and diagnostics).
    var waitingWrites: Int { queue.withLock { $0.writes.count } }

    /// Runs `body` in the next group's transaction and returns its result once that transaction
    /// committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let write = Write(
                run: { db, alone in
                    let result = alone ? Result { try body(db) } : Self.runInSavepoint(db, body)
                    let kept = if case .success = result { true } else { false }
                    return (kept, { transactionError in
                        if kept, let transactionError {
                            continuation.resume(throwing: transactionError)
                        } else {
                            continuation.resume(with: result)
                        }
                    })
                },
                fail: { continuation.resume(throwing: $0) })
            let startDrain = queue.withLock { queue -> Bool in
                queue.writes.append(write)
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if startDrain { drain() }
        }
    }

    /// Runs groups on the writer's queue until none is waiting.
    private func drain() {
        pool.asyncWriteWithoutTransaction { [self] db in
            while true {
                let group = queue.withLock { queue -> [Write] in
                    let count = min(queue.writes.count, Self.maximumGroup)
                    if count == 0 { queue.draining = false }
                    let group = Array(queue.writes.prefix(count))
                    queue.writes.removeFirst(count)
                    return group
                }
                if group.isEmpty { return }
                commit(group, db)
            }
        }
    }

    /// Runs `group` in one transaction and answers every write of it.
    private func commit(_ group: [Write], _ db: Database) {
        var answers: [(kept: Bool, answer: @Sendable ((any Error)?) -> Void)] = []
        answers.reserveCapacity(group.count)
        do {
            try db.beginTransaction(.immediate)
        } catch {
            for write in group { write.fail(error) }
            return
        }
        var transactionError: (any Error)?
        let alone = group.count == 1
        for write in group {
            if let transactionError {
                write.fail(transactionError)
                continue
            }
            let answer = write.run(db, alone)
            answers.append(answer)
            if alone, !answer.kept {
                // Its error is the group's: nothing else is in the transaction to keep.
                try? db.rollback()
                answer.answer(nil)
                return
            }
            if !db.isInsideTransaction {
                transactionError = DatabaseError(resultCode: .SQLITE_ABORT, message: "the group's transaction was rolled back")
            }
        }
        if transactionError == nil {
            do {
                try db.commit()
            } catch {
                transactionError = error
                try? db.rollback()
            }
        } else if db.isInsideTransaction {
            try? db.rollback()
        }
        for (_, answer) in answers { answer(transactionError) }
    }

    /// `body` in a savepoint: kept when it returns (and leaves no foreign key unresolved),
    /// rolled back when it throws.
    private static func runInSavepoint<T>(_ db: Database, _ body: (Database) throws -> T) -> Result<T, any Error> {
        var result: Result<T, any Error> = .failure(CancellationError())
        do {
            try db.inSavepoint {
                result = Result { try body(db) }
                if case .success = result, unresolvedForeignKeys(db) {
                    result = .failure(DatabaseError(
                        resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message: "FOREIGN KEY constraint failed"))
                }
                if case .failure = result { return .rollback }
                return .commit
            }
        } catch {
            if case .success = result { result = .failure(error) }
        }
        return result
    }

    /// Whether foreign-key violations wait for the commit (`SQLITE_DBSTATUS_DEFERRED_FKS`).
    private static func unresolvedForeignKeys(_ db: Database) -> Bool {
        var current: Int32 = 0
        var highest: Int32 = 0
        guard sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highest, 0) == SQLITE_OK else {
            return false
        }
        return current != 0
    }
}
