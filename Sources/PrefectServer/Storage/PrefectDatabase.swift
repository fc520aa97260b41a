import Foundation
import GRDB

/// The embedded server's SQLite database: one file in WAL mode, opened through a GRDB
/// `DatabasePool` (one writer, concurrent readers), migrated on open.
///
/// Writes are serialised by the pool's single writer, so concurrent requests never see
/// "database is locked"; the busy timeout covers another process holding the same file.
final class PrefectDatabase: Sendable {
    let pool: DatabasePool
    /// Where the database lives.
    let path: String
    /// The events stored through this database, as their transactions commit
    /// (``StoredRowsObserver``).
    let eventFeed = StoredRowFeed()
    /// The logs stored through this database, as their transactions commit.
    let logFeed = StoredRowFeed()
    /// The background task runs of this database waiting for a task worker.
    let backgroundTasks = BackgroundTaskQueues()
    /// Work pool changes the open worker channels send their workers.
    let workerChannels = WorkerChannelHub()
    /// Checkpoints the WAL beside the writer, so that no commit waits for it.
    let checkpointer: WALCheckpointer
    /// The API's writes, many to a transaction.
    let groupCommit: GroupCommit

    private init(pool: DatabasePool, path: String, checkpointer: WALCheckpointer) {
        self.pool = pool
        self.path = path
        self.checkpointer = checkpointer
        groupCommit = GroupCommit(pool: pool)
        pool.add(transactionObserver: StoredRowsObserver(feeds: ["events": eventFeed, "log": logFeed]), extent: .databaseLifetime)
        pool.add(transactionObserver: checkpointer, extent: .databaseLifetime)
    }

    /// Opens (creating if needed) and migrates the database at `path`, and registers the block
    /// types and schemas every Prefect server has (``SystemBlockRegistration``).
    ///
    /// - Throws: ``PrefectServerError`` when the file cannot be opened or was written by a newer
    ///   schema version than this build knows; such a database is left untouched.
    static func open(path: String) throws -> PrefectDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw PrefectServerError.databaseUnavailable(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerBackstopPages)")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw PrefectServerError.databaseUnavailable(path: path, reason: String(describing: error))
        }
        let checkpointer: WALCheckpointer
        do {
            try StorageMigrations.apply(to: pool, path: path)
            try pool.write { try SystemBlockRegistration.register($0, now: Date()) }
            checkpointer = try WALCheckpointer(path: path)
        } catch let error as PrefectServerError {
            try? pool.close()
            throw error
        } catch {
            try? pool.close()
            throw PrefectServerError.databaseUnavailable(path: path, reason: "cannot register the system blocks: \(error)")
        }
        return PrefectDatabase(pool: pool, path: path, checkpointer: checkpointer)
    }

    /// Closes every connection; the database cannot be used afterwards.
    func close() throws {
        try checkpointer.close()
        try pool.close()
    }
}
