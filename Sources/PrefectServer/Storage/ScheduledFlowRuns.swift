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
    /// queue priority then scheduled time — the answer of Prefect's SQLite query
    /// (`sqlite/get-runs-from-worker-queues.sql.jinja`), computed per queue: no queue can give
    /// more than `limit` runs, so each is read through its index up to that many instead of
    /// ranking every scheduled run of the pool.
    static func forPools(
        _ db: Database, poolIDs: [UUID], queueIDs: [UUID]?, scheduledBefore: Date?, scheduledAfter: Date?, limit: Int, now: Date
    ) throws -> Data {
        let unlimited = 1000
        var scope = SQLConditionList()
        scope.add(SQLCondition(sql: "wp.is_paused = 0 AND wq.is_paused = 0"))
        scope.add(SQLCondition.isIn("wp.id", poolIDs))
        if let queueIDs, !queueIDs.isEmpty { scope.add(SQLCondition.isIn("wq.id", queueIDs)) }
        let condition = scope.combined(.and) ?? SQLCondition(sql: "1")
        let queues = try Row.fetchAll(
            db, sql: """
                SELECT wq.id AS queue_id, wp.id AS pool_id, wq.priority, wq.concurrency_limit AS queue_limit,
                    wp.concurrency_limit AS pool_limit,
                    CASE WHEN wq.concurrency_limit IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM flow_run fr
                        WHERE fr.work_queue_id = wq.id AND fr.state_type IN ('RUNNING', 'PENDING')) END AS queue_busy,
                    CASE WHEN wp.concurrency_limit IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM flow_run fr
                        JOIN work_queue pq ON fr.work_queue_id = pq.id
                        WHERE pq.work_pool_id = wp.id AND fr.state_type IN ('RUNNING', 'PENDING')) END AS pool_busy
                FROM work_queue wq JOIN work_pool wp ON wq.work_pool_id = wp.id
                WHERE \(condition.sql)
                """,
            arguments: condition.statementArguments)
        var times = ""
        var timeArguments: [any DatabaseValueConvertible] = []
        if let scheduledAfter {
            times += " AND next_scheduled_start_time >= ?"
            timeArguments.append(StoredTime.micros(scheduledAfter))
        }
        if let scheduledBefore {
            times += " AND next_scheduled_start_time <= ?"
            timeArguments.append(StoredTime.micros(scheduledBefore))
        }
        struct Candidate {
            let pool: String
            let queue: String
            let priority: Int
            let run: String
            let time: Int64
        }
        var byPool: [String: [Candidate]] = [:]
        var poolSlots: [String: Int] = [:]
        for queue in queues {
            guard let queueID = try queue.decode(String?.self, forColumn: "queue_id"), let poolID = try queue.decode(String?.self, forColumn: "pool_id") else { continue }
            let priority = try queue.decode(Int?.self, forColumn: "priority") ?? 0
            if let poolLimit = try queue.decode(Int?.self, forColumn: "pool_limit") {
                poolSlots[poolID] = Self.free(limit: poolLimit, busy: try queue.decode(Int?.self, forColumn: "pool_busy") ?? 0)
            }
            var take = min(limit, unlimited)
            if let queueLimit = try queue.decode(Int?.self, forColumn: "queue_limit") {
                take = min(take, Self.free(limit: queueLimit, busy: try queue.decode(Int?.self, forColumn: "queue_busy") ?? 0))
            }
            guard take > 0 else { continue }
            let runs = try Row.fetchAll(
                db, sql: """
                    SELECT id, next_scheduled_start_time FROM flow_run
                    WHERE work_queue_id = ? AND state_type = 'SCHEDULED' \(times)
                        AND (json_extract(body, '$.empirical_policy.retry_type') IS NULL
                            OR json_extract(body, '$.empirical_policy.retry_type') != 'in_process')
                    ORDER BY next_scheduled_start_time, id LIMIT ?
                    """,
                arguments: StatementArguments([queueID] + timeArguments + [take]))
            for run in runs {
                guard let id = try run.decode(String?.self, forColumn: "id") else { continue }
                byPool[poolID, default: []].append(Candidate(
                    pool: poolID, queue: queueID, priority: priority, run: id,
                    time: try run.decode(Int64?.self, forColumn: "next_scheduled_start_time") ?? 0))
            }
        }
        // Rank within each pool by queue priority, then time; keep the pool's free slots.
        var ranked: [(rank: Int, candidate: Candidate)] = []
        for (pool, candidates) in byPool {
            let ordered = candidates.sorted { ($0.priority, $0.time, $0.run) < ($1.priority, $1.time, $1.run) }
            let keep = min(poolSlots[pool] ?? unlimited, unlimited)
            ranked += ordered.prefix(keep).enumerated().map { ($0.offset + 1, $0.element) }
        }
        let chosen = ranked.sorted { ($0.rank, $0.candidate.time, $0.candidate.run) < ($1.rank, $1.candidate.time, $1.candidate.run) }
            .prefix(limit).map(\.candidate)
        guard !chosen.isEmpty else { return Data("[]".utf8) }
        let ids = SQLCondition.isIn("id", chosen.map(\.run))
        var bodies: [String: Row] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT body, \(RunJSON.estimateColumns("flow_run")), id FROM flow_run WHERE \(ids.sql)",
            arguments: ids.statementArguments) {
            if let id = try row.decode(forColumn: "id") as String? { bodies[id] = row }
        }
        var out = Data([UInt8(ascii: "[")])
        var first = true
        for candidate in chosen {
            guard let row = bodies[candidate.run] else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: #"{"work_pool_id":"\#(candidate.pool)","work_queue_id":"\#(candidate.queue)","flow_run":"#.utf8)
            // `WorkerFlowRunResponse.flow_run` is the core `FlowRun`, without the pool members
            // of a `FlowRunResponse`.
            try RunJSON.answer(row: row, now: now, removing: ["work_pool_id", "work_pool_name"], into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// Slots left under `limit` with `busy` taken: never negative, and no overflow for any
    /// stored limit.
    private static func free(limit: Int, busy: Int) -> Int {
        guard busy >= 0, limit > busy else { return 0 }
        return limit - busy
    }
}
