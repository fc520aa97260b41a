import Foundation
import GRDB
import PrefectSchemas

/// The scheduled runs workers poll for: Prefect's SQLite queries
/// `get_scheduled_flow_runs_from_work_queues` (`database/query_components.py`) and
/// `sqlite/get-runs-from-worker-queues.sql.jinja`, with their concurrency arithmetic.
enum ScheduledFlowRuns {
    /// Scheduled runs of the queue for `POST /work_queues/{id}/get_runs`, earliest first, at
    /// most `limit` and the queue's free slots. As in Prefect, runs are matched to the queue by
    /// queue name, so same-named queues of other pools share them; a paused queue has none.
    static func forQueue(_ db: Database, _ queue: WorkQueue, limit: Int, scheduledBefore: Date?, now: Date) throws -> Data {
        guard !queue.isPaused else { return Data("[]".utf8) }
        var take = limit
        if let concurrency = queue.concurrencyLimit {
            let busy = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM flow_run WHERE work_queue_name = ? AND state_type IN ('RUNNING', 'PENDING', 'CANCELLING')",
                arguments: [queue.name]) ?? 0
            take = min(take, max(0, concurrency - busy))
        }
        var arguments: [any DatabaseValueConvertible] = [queue.name]
        var before = ""
        if let scheduledBefore {
            before = "AND next_scheduled_start_time <= ?"
            arguments.append(StoredTime.micros(scheduledBefore))
        }
        arguments.append(take)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT flow_run.body, \(RunJSON.estimateColumns("flow_run")) FROM flow_run
                WHERE work_queue_name = ? AND state_type = 'SCHEDULED' \(before)
                ORDER BY next_scheduled_start_time, id LIMIT ?
                """,
            arguments: StatementArguments(arguments))
        return try RunJSON.array(rows, now: now)
    }

    /// `WorkerFlowRunResponse`s for `POST /work_pools/{name}/get_scheduled_flow_runs`: runs of
    /// unpaused queues of unpaused pools, within the queues' and the pools' free slots, by
    /// queue priority then scheduled time.
    static func forPools(
        _ db: Database, poolIDs: [UUID], queueIDs: [UUID]?, scheduledBefore: Date?, scheduledAfter: Date?, limit: Int, now: Date
    ) throws -> Data {
        var runFilters = ""
        var arguments: [any DatabaseValueConvertible] = []
        if let scheduledAfter {
            runFilters += " AND fr.next_scheduled_start_time >= ?"
            arguments.append(StoredTime.micros(scheduledAfter))
        }
        if let scheduledBefore {
            runFilters += " AND fr.next_scheduled_start_time <= ?"
            arguments.append(StoredTime.micros(scheduledBefore))
        }
        let pools = SQLCondition.isIn("wp.id", poolIDs)
        var scope = "AND \(pools.sql)"
        arguments += pools.arguments
        if let queueIDs, !queueIDs.isEmpty {
            let queues = SQLCondition.isIn("wq.id", queueIDs)
            scope += " AND \(queues.sql)"
            arguments += queues.arguments
        }
        arguments.append(limit)
        let unlimited = 1000
        let rows = try Row.fetchCursor(
            db,
            sql: """
                WITH worker_slots AS (
                    SELECT wp.id, MAX(0, wp.concurrency_limit - COUNT(fr.id)) AS available_slots
                    FROM work_pool wp
                    JOIN work_queue wq ON wq.work_pool_id = wp.id
                    LEFT JOIN flow_run fr ON wq.id = fr.work_queue_id AND fr.state_type IN ('RUNNING', 'PENDING')
                    WHERE wp.is_paused = 0 AND wp.concurrency_limit IS NOT NULL
                    GROUP BY wp.id
                ),
                queue_slots AS (
                    SELECT wq.id, MAX(0, wq.concurrency_limit - COUNT(fr.id)) AS available_slots
                    FROM work_queue wq
                    LEFT JOIN flow_run fr ON wq.id = fr.work_queue_id AND fr.state_type IN ('RUNNING', 'PENDING')
                    WHERE wq.is_paused = 0 AND wq.concurrency_limit IS NOT NULL
                    GROUP BY wq.id
                ),
                scheduled AS (
                    SELECT wp.id AS run_work_pool_id, wq.id AS run_work_queue_id, fr.id AS run_id, fr.next_scheduled_start_time,
                        worker_slots.available_slots AS available_worker_slots,
                        ROW_NUMBER() OVER (PARTITION BY wp.id ORDER BY wq.priority ASC, fr.next_scheduled_start_time) AS work_pool_rank
                    FROM work_pool wp
                    JOIN work_queue wq ON wq.work_pool_id = wp.id
                    LEFT JOIN worker_slots ON wp.id = worker_slots.id
                    LEFT JOIN queue_slots ON wq.id = queue_slots.id
                    JOIN (
                        SELECT fr.id, fr.work_queue_id, fr.next_scheduled_start_time,
                            ROW_NUMBER() OVER (PARTITION BY fr.work_queue_id ORDER BY fr.next_scheduled_start_time) AS work_queue_rank
                        FROM flow_run fr
                        WHERE fr.state_type = 'SCHEDULED'
                            AND (json_extract(fr.body, '$.empirical_policy.retry_type') IS NULL
                                OR json_extract(fr.body, '$.empirical_policy.retry_type') != 'in_process')
                            \(runFilters)
                    ) fr ON fr.work_queue_id = wq.id
                        AND work_queue_rank <= MIN(COALESCE(queue_slots.available_slots, \(unlimited)), \(unlimited))
                    WHERE wp.is_paused = 0 AND wq.is_paused = 0 \(scope)
                )
                SELECT scheduled.run_work_pool_id, scheduled.run_work_queue_id, flow_run.body, \(RunJSON.estimateColumns("flow_run"))
                FROM scheduled JOIN flow_run ON flow_run.id = scheduled.run_id
                WHERE work_pool_rank <= MIN(COALESCE(available_worker_slots, \(unlimited)), \(unlimited))
                ORDER BY work_pool_rank ASC, scheduled.next_scheduled_start_time ASC
                LIMIT ?
                """,
            arguments: StatementArguments(arguments))
        var out = Data([UInt8(ascii: "[")])
        var first = true
        while let row = try rows.next() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let pool: String = row[0] ?? ""
            let queue: String = row[1] ?? ""
            out.append(contentsOf: #"{"work_pool_id":"\#(pool)","work_queue_id":"\#(queue)","flow_run":"#.utf8)
            let body: Data = row[2] ?? Data("{}".utf8)
            let estimates = RunEstimates(
                stateType: row[3], stateTimestamp: row[4], totalRunTime: row[5] ?? 0, startTime: row[6],
                expectedStartTime: row[7], now: StoredTime.micros(now))
            RunJSON.answer(body: body, estimates: estimates, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
