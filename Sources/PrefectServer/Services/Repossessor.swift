import Foundation
import GRDB
import PrefectSchemas

/// Prefect's repossessor service (`prefect/server/services/repossessor.py`): each expired
/// concurrency lease gives its slots back to its limits and is revoked, one lease per write.
enum Repossessor {
    static let batchSize = 100

    /// One pass; the number of leases revoked. Expired leases are walked by id, so one that
    /// cannot be released (skipped, and logged once) never hides the others.
    @discardableResult
    static func pass(_ database: PrefectDatabase, now: Date, skipped: SkippedRows = .unlogged("repossessor")) async throws -> Int {
        var revoked = 0
        try await RunPages.forEach(
            database, table: "concurrency_lease", where: "expiration < \(StoredTime.micros(now))", pageSize: batchSize,
            skipped: skipped
        ) { id in
            let done = try await database.pool.write { db -> Bool in
                // Renewed since the read: its slots are still in use.
                guard let expiration = try Int64.fetchOne(
                    db, sql: "SELECT expiration FROM concurrency_lease WHERE id = ?", arguments: [id.prefectString]),
                    expiration < StoredTime.micros(now)
                else { return false }
                try ConcurrencySlots.releaseLease(db, id: id, fallbackLimitIDs: [], now: now)
                return true
            }
            if done { revoked += 1 }
        }
        return revoked
    }
}
