import Foundation
import GRDB
import PrefectSchemas

/// Prefect's repossessor service (`prefect/server/services/repossessor.py`): each expired
/// concurrency lease gives its slots back to its limits and is revoked, one lease per write.
enum Repossessor {
    static let batchSize = 100

    /// One pass; the number of leases revoked.
    @discardableResult
    static func pass(_ database: PrefectDatabase, now: Date) async throws -> Int {
        let expired = try await database.pool.read { db in try ConcurrencySlots.expiredLeases(db, now: now, limit: batchSize) }
        var revoked = 0
        for id in expired {
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
