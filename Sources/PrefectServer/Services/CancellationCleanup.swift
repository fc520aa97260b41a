import Foundation
import GRDB
import PrefectSchemas

/// Prefect's `cancellation_cleanup` services (`prefect/server/services/cancellation_cleanup.py`):
/// the unfinished task runs of a flow run cancelled in the last day are forced Cancelled; an
/// unfinished subflow run whose containing flow run is Cancelled is proposed Cancelled
/// (Cancelling when it has a deployment, which a worker must stop); a run Cancelling for longer
/// than `cancellingTimeout` is proposed Cancelled with Prefect's timeout message. One write per
/// run, in batches of 200. (Prefect also queues a teardown message for the run's worker over its
/// worker channel, which the embedded server does not have.)
enum CancellationCleanup {
    static let batchSize = 200
    static let parentCancelled = "The parent flow run was cancelled."
    static let timedOut = "Flow run cancellation timed out; marked this flow run as Cancelled."

    static func pass(
        _ database: PrefectDatabase, cancellingTimeout: TimeInterval, now: Date,
        skipped: SkippedRows = .unlogged("cancellation clean-up")
    ) async throws {
        try await cancelChildTaskRuns(database, now: now, skipped: skipped)
        try await cancelSubflowRuns(database, now: now, skipped: skipped)
        try await timeOutCancelling(database, cancellingTimeout: cancellingTimeout, now: now, skipped: skipped)
    }

    /// `monitor_cancelled_flow_runs` and `cancel_child_task_runs` (at most 100 task runs per flow run a pass).
    static func cancelChildTaskRuns(_ database: PrefectDatabase, now: Date, skipped: SkippedRows) async throws {
        let since = StoredTime.micros(now.addingTimeInterval(-86_400))
        try await RunPages.forEach(
            database, where: "state_type = 'CANCELLED' AND end_time IS NOT NULL AND end_time >= \(since)", pageSize: batchSize,
            skipped: skipped
        ) { flowRunID in
            let children = try await database.pool.read { db in
                try String.fetchAll(
                    db, sql: """
                        SELECT id FROM task_run WHERE flow_run_id = ?
                        AND state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED') LIMIT 100
                        """,
                    arguments: [flowRunID.prefectString])
            }
            for childID in children {
                try await skipped.attempt("task_run", childID) {
                    guard let child = UUID(uuidString: childID) else { throw StoredValueError(table: "task_run", column: "id") }
                    try await database.pool.write { db in
                        guard let run = try TaskRunStore.read(db, id: child, now: now) else { return }
                        _ = try TaskRunOrchestration.setState(
                            db, run: run, state: .make(.cancelled, message: parentCancelled), force: true, now: now, apiVersion: nil)
                    }
                }
            }
        }
    }

    /// `monitor_subflow_runs` and `cancel_subflow_run`.
    static func cancelSubflowRuns(_ database: PrefectDatabase, now: Date, skipped: SkippedRows) async throws {
        try await RunPages.forEach(
            database,
            where: "state_type IN ('PENDING', 'SCHEDULED', 'RUNNING', 'PAUSED', 'CANCELLING') AND parent_task_run_id IS NOT NULL",
            pageSize: batchSize, skipped: skipped
        ) { id in
            try await database.pool.write { db in
                guard let run = try FlowRunStore.read(db, id: id, now: now), let state = run.state, !state.isFinal,
                      let parentTaskRunID = run.parentTaskRunID,
                      let parentFlowRunID = try String.fetchOne(
                          db, sql: "SELECT flow_run_id FROM task_run WHERE id = ?", arguments: [parentTaskRunID.prefectString]),
                      let containing = try String.fetchOne(
                          db, sql: "SELECT state_type FROM flow_run WHERE id = ?", arguments: [parentFlowRunID]),
                      containing == StateType.cancelled.rawValue
                else { return }
                if run.deploymentID != nil, state.type == .cancelling { return }
                let next: State = run.deploymentID != nil
                    ? .make(.cancelling, message: parentCancelled) : .make(.cancelled, message: parentCancelled)
                _ = try FlowRunOrchestration.setState(db, run: run, state: next, force: false, now: now, apiVersion: nil)
            }
        }
    }

    /// `ensure_cancelling_timeout_checks` and `handle_cancelling_timeout`, through the core policy.
    static func timeOutCancelling(
        _ database: PrefectDatabase, cancellingTimeout: TimeInterval, now: Date, skipped: SkippedRows
    ) async throws {
        let deadline = StoredTime.micros(now.addingTimeInterval(-cancellingTimeout))
        try await RunPages.forEach(
            database, where: "state_type = 'CANCELLING' AND state_timestamp IS NOT NULL AND state_timestamp <= \(deadline)",
            pageSize: batchSize, skipped: skipped
        ) { id in
            try await database.pool.write { db in
                guard let run = try FlowRunStore.read(db, id: id, now: now), run.state?.type == .cancelling,
                      let since = run.state?.timestamp, since.addingTimeInterval(cancellingTimeout) <= now
                else { return }
                _ = try FlowRunOrchestration.setState(
                    db, run: run, state: .make(.cancelled, message: timedOut), force: false, now: now, apiVersion: nil)
            }
        }
    }
}
