import Foundation
import GRDB
import PrefectSchemas

/// Prefect's `late_runs` service (`prefect/server/services/late_runs.py`): Scheduled runs (named
/// "Scheduled") whose time is more than `afterSeconds` past are proposed `Late` at that time
/// through `MarkLateRunsPolicy`, one run per write, at most 400 per pass.
enum LateRuns {
    static let batchSize = 400

    /// One pass; the number of runs marked.
    @discardableResult
    static func pass(_ database: PrefectDatabase, afterSeconds: TimeInterval, now: Date) async throws -> Int {
        let before = StoredTime.micros(now.addingTimeInterval(-afterSeconds))
        let due = try await database.pool.read { db in
            try String.fetchAll(
                db, sql: """
                    SELECT id FROM flow_run
                    WHERE next_scheduled_start_time <= ? AND state_type = 'SCHEDULED' AND state_name = 'Scheduled' LIMIT ?
                    """,
                arguments: [before, batchSize])
        }
        var marked = 0
        for id in due.compactMap(UUID.init(uuidString:)) {
            let accepted = try await database.pool.write { db -> Bool in
                guard let run = try FlowRunStore.read(db, id: id, now: now), let scheduled = run.nextScheduledStartTime else {
                    return false
                }
                let outcome = try FlowRunOrchestration.setState(
                    db, run: run, state: .late(at: scheduled), policy: Policies.markLateRuns, now: now)
                return outcome.result.status == .accept
            }
            if accepted { marked += 1 }
        }
        return marked
    }
}
