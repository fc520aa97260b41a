import Foundation
import GRDB

/// Hands the ids of the rows inserted into the observed tables (`events`, `log`) to their
/// ``StoredRowFeed`` once the transaction commits — rows written for clients and rows the
/// server writes inside its own transactions alike (an event of a state change), and none of
/// those a rollback undid.
///
/// GRDB calls it on the writer's queue only, one transaction at a time.
final class StoredRowsObserver: TransactionObserver, @unchecked Sendable {
    /// Row ids looked up per statement (SQLite's limit on parameters is far above it).
    private static let chunk = 500
    private let feeds: [String: StoredRowFeed]
    /// Row ids inserted by the open transaction, by table.
    private var inserted: [String: [Int64]] = [:]

    /// `feeds`: the feed of each observed table, whose `id` column holds the rows' UUIDs.
    init(feeds: [String: StoredRowFeed]) {
        self.feeds = feeds
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return feeds[table] != nil }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        inserted[event.tableName, default: []].append(event.rowID)
    }

    func databaseDidCommit(_ db: Database) {
        guard !inserted.isEmpty else { return }
        let committed = inserted
        inserted.removeAll(keepingCapacity: true)
        for (table, rowIDs) in committed {
            guard let feed = feeds[table] else { continue }
            feed.ringDoorbells()
            guard feed.hasSubscribers else { continue }
            for start in stride(from: 0, to: rowIDs.count, by: Self.chunk) {
                let part = rowIDs[start..<min(start + Self.chunk, rowIDs.count)]
                let placeholders = Array(repeating: "?", count: part.count).joined(separator: ",")
                let ids = (try? String.fetchAll(
                    db, sql: "SELECT id FROM \(table) WHERE rowid IN (\(placeholders)) ORDER BY rowid",
                    arguments: StatementArguments(Array(part)))) ?? []
                feed.publish(ids.compactMap(UUID.init(uuidString:)))
            }
        }
    }

    func databaseDidRollback(_ db: Database) {
        inserted.removeAll(keepingCapacity: true)
    }
}
