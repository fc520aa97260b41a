import Foundation
import GRDB

/// How the services walk runs: a keyset query over ids, read a page at a time, so that no
/// read (and no write done for a run) spans a whole table.
enum RunPages {
    /// Calls `body` for each id the query `where` finds in `table`, in id order, `pageSize` at a
    /// time; `where` is a condition on the table's columns, without arguments. A row whose id
    /// is not a UUID, or whose `body` throws, is skipped (and reported to `skipped`); the walk
    /// goes on.
    static func forEach(
        _ database: PrefectDatabase, table: String = "flow_run", where condition: String, pageSize: Int,
        skipped: SkippedRows, _ body: (UUID) async throws -> Void
    ) async throws {
        var after = ""
        while true {
            let from = after
            let page = try await database.pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT id FROM \(table) WHERE (\(condition)) AND id > ? ORDER BY id LIMIT ?",
                    arguments: [from, pageSize])
            }
            for text in page {
                try await skipped.attempt(table, text) {
                    guard let id = UUID(uuidString: text) else { throw StoredValueError(table: table, column: "id") }
                    try await body(id)
                }
            }
            guard page.count == pageSize, let last = page.last else { return }
            after = last
        }
    }
}
