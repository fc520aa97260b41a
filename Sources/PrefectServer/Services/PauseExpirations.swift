import Foundation
import GRDB
import PrefectSchemas

/// Prefect's `pause_expirations` service (`prefect/server/services/pause_expirations.py`):
/// Paused runs whose `pause_timeout` has passed are forced into `Failed` "The flow was paused
/// and never resumed.", one run per write, walking the paused runs in batches of 200.
enum PauseExpirations {
    static let batchSize = 200

    /// One pass; the number of runs failed.
    @discardableResult
    static func pass(_ database: PrefectDatabase, now: Date, skipped: SkippedRows = .unlogged("pause expirations")) async throws -> Int {
        var failed = 0
        try await RunPages.forEach(database, where: "state_type = 'PAUSED'", pageSize: batchSize, skipped: skipped) { id in
            let done = try await database.pool.write { db -> Bool in
                guard let run = try FlowRunStore.read(db, id: id, now: now), run.state?.type == .paused,
                      let timeout = run.state?.stateDetails.pauseTimeout, timeout < now
                else { return false }
                _ = try FlowRunOrchestration.setState(
                    db, run: run, state: .make(.failed, message: "The flow was paused and never resumed."),
                    force: true, now: now, apiVersion: nil)
                return true
            }
            if done { failed += 1 }
        }
        return failed
    }
}
