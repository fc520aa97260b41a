import Foundation
import GRDB

/// Hands every event stored through the writer to the ``EventFeed`` once its transaction
/// commits — events sent by clients and events the server makes inside its own writes (a
/// state change, a resource changed) alike — and none of those a rollback undid.
///
/// GRDB calls it on the writer's queue only, one transaction at a time.
final class StoredEventsObserver: TransactionObserver, @unchecked Sendable {
    private let feed: EventFeed
    /// Row ids of the events inserted by the open transaction.
    private var inserted: [Int64] = []

    init(feed: EventFeed) {
        self.feed = feed
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "events" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        inserted.append(event.rowID)
    }

    func databaseDidCommit(_ db: Database) {
        guard !inserted.isEmpty else { return }
        let rowIDs = inserted
        inserted.removeAll(keepingCapacity: true)
        let placeholders = Array(repeating: "?", count: rowIDs.count).joined(separator: ",")
        let ids = (try? String.fetchAll(
            db, sql: "SELECT id FROM events WHERE rowid IN (\(placeholders)) ORDER BY rowid", arguments: StatementArguments(rowIDs))) ?? []
        feed.publish(ids.compactMap(UUID.init(uuidString:)))
    }

    func databaseDidRollback(_ db: Database) {
        inserted.removeAll(keepingCapacity: true)
    }
}
