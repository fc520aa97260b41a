import Foundation
import GRDB
import PrefectSchemas

/// Prefect's `late_runs` service (`prefect/server/services/late_runs.py`): Scheduled runs (named
/// "Scheduled") whose time is more than `afterSeconds` past are proposed `Late` at that time
/// through `MarkLateRunsPolicy`, one run per write, read 400 at a time.
enum LateRuns {
    static let batchSize = 400

    /// One pass; the number of runs marked. The due runs are walked by id, so a run that
    /// cannot be marked (skipped, and logged once) never hides the others.
    @discardableResult
    static func pass(
        _ database: PrefectDatabase, afterSeconds: TimeInterval, now: Date, skipped: SkippedRows = .unlogged("late runs")
    ) async throws -> Int {
        let before = StoredTime.micros(now.addingTimeInterval(-afterSeconds))
        var marked = 0
        try await RunPages.forEach(
            database,
            where: "next_scheduled_start_time <= \(before) AND state_type = 'SCHEDULED' AND state_name = 'Scheduled'",
            pageSize: batchSize, skipped: skipped
        ) { id in
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
