import Foundation
import GRDB
import PrefectSchemas

/// Prefect's scheduler service (`prefect/server/services/scheduler.py` with
/// `models/deployments._generate_scheduled_flow_runs` and `_insert_scheduled_flow_runs`): the
/// auto-scheduled runs of unpaused deployments' active schedules.
///
/// A deployment is scheduled when one of its active schedules has fewer than `minRuns` future
/// Scheduled auto-scheduled runs, or none later than `minScheduledTime` from now; the recent
/// pass also takes every deployment updated in the last loop. Each schedule then gets its dates
/// from now on — up to `maxRuns`, none after `maxScheduledTime`, stopping once `minRuns` are
/// there and the last is `minScheduledTime` away — as runs whose idempotency key names the
/// deployment, the schedule and the date, so no slot ever gets two runs, across passes and
/// restarts. Dates are computed on a reader; runs are inserted in batches of
/// `insertBatchSize`, each its own short write, so API requests are not held up.
enum DeploymentScheduler {
    struct Settings: Sendable {
        var maxRuns = 100
        var minRuns = 3
        var maxScheduledTime: TimeInterval = 100 * 86_400
        var minScheduledTime: TimeInterval = 3600
        var deploymentBatchSize = 100
        var insertBatchSize = 500
    }

    /// A run to insert, encoded on the reader.
    private struct Slot: Sendable {
        var deploymentID: String
        var flowID: String
        var idempotencyKey: String
        var runID: UUID
        var insert: FlowRunStore.PreparedInsert
        var state: State
        var stateBody: Data
    }

    /// The most runs one write inserts: the scheduler never holds the writer for long.
    static let runsPerWrite = 20

    /// The main pass: deployments whose schedules are short of runs. Returns the runs inserted.
    @discardableResult
    static func pass(
        _ database: PrefectDatabase, _ settings: Settings, now: Date, skipped: SkippedRows = .unlogged("scheduler")
    ) async throws -> Int {
        try await schedule(database, settings, now: now, skipped: skipped) { db, after in
            try String.fetchAll(
                db,
                sql: """
                    SELECT deployment.id FROM deployment
                    WHERE deployment.paused = 0 AND deployment.id > ? AND EXISTS (
                        SELECT 1 FROM deployment_schedule AS s WHERE s.deployment_id = deployment.id AND s.active = 1 AND (
                            (SELECT COUNT(*) FROM flow_run WHERE flow_run.deployment_id = s.deployment_id
                                AND flow_run.created_by_id = s.id AND flow_run.state_type = 'SCHEDULED'
                                AND flow_run.next_scheduled_start_time >= ?) < ?
                            OR (SELECT MAX(flow_run.next_scheduled_start_time) FROM flow_run
                                WHERE flow_run.deployment_id = s.deployment_id AND flow_run.created_by_id = s.id
                                AND flow_run.state_type = 'SCHEDULED' AND flow_run.next_scheduled_start_time >= ?) < ?))
                    ORDER BY deployment.id LIMIT ?
                    """,
                arguments: [after, StoredTime.micros(now), settings.minRuns, StoredTime.micros(now),
                            StoredTime.micros(now.addingTimeInterval(settings.minScheduledTime)), settings.deploymentBatchSize])
        }
    }

    /// The recent pass: deployments with an active schedule updated within `loopSeconds` + 1 s.
    @discardableResult
    static func recentPass(
        _ database: PrefectDatabase, _ settings: Settings, loopSeconds: TimeInterval, now: Date,
        skipped: SkippedRows = .unlogged("recent deployments scheduler")
    ) async throws -> Int {
        let since = StoredTime.micros(now.addingTimeInterval(-(loopSeconds + 1)))
        return try await schedule(database, settings, now: now, skipped: skipped) { db, after in
            try String.fetchAll(
                db,
                sql: """
                    SELECT deployment.id FROM deployment
                    WHERE deployment.paused = 0 AND deployment.id > ? AND deployment.updated >= ? AND EXISTS (
                        SELECT 1 FROM deployment_schedule AS s WHERE s.deployment_id = deployment.id AND s.active = 1)
                    ORDER BY deployment.id LIMIT ?
                    """,
                arguments: [after, since, settings.deploymentBatchSize])
        }
    }

    /// Makes the runs of the deployments `select` finds, a page at a time. A deployment or
    /// schedule that cannot be read, or whose runs cannot be inserted, is skipped (and
    /// reported to `skipped`); the others are scheduled.
    private static func schedule(
        _ database: PrefectDatabase, _ settings: Settings, now: Date, skipped: SkippedRows,
        select: @escaping @Sendable (Database, String) throws -> [String]
    ) async throws -> Int {
        var inserted = 0
        var after = ""
        while true {
            let cursor = after
            let (ids, slots) = try await database.pool.read { db -> ([String], [Slot]) in
                let ids = try select(db, cursor)
                var slots: [Slot] = []
                for text in ids {
                    do {
                        guard let id = UUID(uuidString: text) else { throw StoredValueError(table: "deployment", column: "id") }
                        slots += try self.slots(db, deploymentID: id, window: Window(settings, from: now), now: now, skipped: skipped)
                    } catch {
                        skipped.report("deployment", text, error)
                    }
                }
                return (ids, slots)
            }
            // Prefect inserts `insertBatchSize` runs per transaction; smaller writes keep each
            // hold on the database short (the same runs, in the same order).
            let perWrite = max(1, min(settings.insertBatchSize, runsPerWrite))
            for start in stride(from: 0, to: slots.count, by: perWrite) {
                let batch = Array(slots[start..<min(start + perWrite, slots.count)])
                do {
                    inserted += try await database.pool.write { db in try insert(db, batch) }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // One run the database refuses must not cost the others their slots.
                    for slot in batch {
                        do {
                            inserted += try await database.pool.write { db in try insert(db, [slot]) }
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            skipped.report("deployment", slot.deploymentID, error)
                        }
                    }
                }
            }
            guard ids.count >= settings.deploymentBatchSize, let last = ids.last else { return inserted }
            after = last
        }
    }

    /// What `_generate_scheduled_flow_runs` makes dates for: from `start`, none after `end`, at
    /// most `maxRuns`, stopping once `minRuns` are there and one is `minTime` after `start`.
    struct Window {
        var start: Date
        var end: Date
        var minTime: TimeInterval
        var minRuns: Int
        var maxRuns: Int

        init(_ settings: Settings, from start: Date) {
            self.start = start
            end = start.addingTimeInterval(settings.maxScheduledTime)
            minTime = settings.minScheduledTime
            minRuns = settings.minRuns
            maxRuns = settings.maxRuns
        }
    }

    /// `schedule_runs` (`POST /deployments/{id}/schedule`): the runs of `window`, in the
    /// caller's write. Returns how many were new.
    static func schedule(_ db: Database, deploymentID: UUID, window: Window, now: Date) throws -> Int {
        try insert(db, slots(db, deploymentID: deploymentID, window: window, now: now))
    }

    /// `_generate_scheduled_flow_runs` for one deployment.
    private static func slots(
        _ db: Database, deploymentID: UUID, window: Window, now: Date, skipped: SkippedRows? = nil
    ) throws -> [Slot] {
        guard let deployment = try DeploymentStore.read(db, id: deploymentID) else { return [] }
        let end = window.end
        let enough = window.start.addingTimeInterval(window.minTime)
        let labels = FlowRunCreation.labels(of: deployment)
        var slots: [Slot] = []
        for (rowID, read) in try DeploymentScheduleStore.readEach(db, deploymentID: deploymentID) {
            let schedule: JSONValue
            switch read {
            case .success(let object): schedule = object
            case .failure(let error):
                skipped?.report("deployment_schedule", rowID, error)
                continue
            }
            guard schedule["active"] == true else { continue }
            guard let scheduleID = schedule["id"]?.stringValue.flatMap(UUID.init(uuidString:)),
                let definition = schedule["schedule"],
                let scheduled = ScheduleDates.dates(definition, count: window.maxRuns, start: window.start, end: end)
            else {
                skipped?.report("deployment_schedule", rowID, StoredValueError(table: "deployment_schedule", column: "schedule"))
                continue
            }
            var dates: [Date] = []
            for date in scheduled {
                dates.append(date)
                if dates.count >= window.minRuns, date >= enough { break }
            }
            var parameters = deployment.parameters
            parameters.merge(schedule["parameters"]?.objectValue ?? [:]) { _, given in given }
            let display = schedule["slug"]?.stringValue ?? ScheduleDates.className(definition)
            let zone = TimeZone(identifier: definition["timezone"]?.stringValue ?? "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
            for date in dates {
                let state = State.new(
                    .scheduled, message: "Flow run scheduled", details: StateDetails(scheduledTime: date), now: now)
                var run = FlowRun(
                    id: UUID.version7(at: now), created: now, updated: now, name: RunNames.make(), flowID: deployment.flowID,
                    deploymentID: deployment.id, deploymentVersion: deployment.version, workQueueName: deployment.workQueueName,
                    parameters: parameters,
                    idempotencyKey: "scheduled \(deployment.id.prefectString) \(scheduleID.prefectString) \(pythonText(date, in: zone))",
                    empiricalPolicy: FlowRunPolicy().withServerDefaults(), tags: ["auto-scheduled"] + deployment.tags,
                    labels: labels, infrastructureDocumentID: deployment.infrastructureDocumentID,
                    workQueueID: deployment.workQueueID, jobVariables: [:])
                run.autoScheduled = true
                run.createdBy = CreatedBy(id: scheduleID, type: "SCHEDULE", displayValue: display)
                run.expectedStartTime = date
                run.nextScheduledStartTime = date
                run.state = state
                run.stateID = state.id
                run.stateType = .scheduled
                run.stateName = state.name
                slots.append(Slot(
                    deploymentID: deployment.id.prefectString, flowID: run.flowID.prefectString, idempotencyKey: run.idempotencyKey ?? "", runID: run.id,
                    insert: try FlowRunStore.PreparedInsert(run), state: state, stateBody: try ServerJSON.encode(state)))
            }
        }
        return slots
    }

    /// `_insert_scheduled_flow_runs`: each run whose flow and idempotency key are new, with its
    /// Scheduled state; the others are skipped. Returns how many were inserted.
    private static func insert(_ db: Database, _ slots: [Slot]) throws -> Int {
        var inserted = 0
        for slot in slots {
            let taken = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM flow_run WHERE flow_id = ? AND idempotency_key = ?)",
                arguments: [slot.flowID, slot.idempotencyKey]) ?? true
            guard !taken else { continue }
            try FlowRunStore.insert(db, slot.insert)
            try FlowRunStore.insertState(db, slot.state, body: slot.stateBody, runID: slot.runID)
            inserted += 1
        }
        return inserted
    }

    /// Python's `str(datetime)` of `date` in `zone`: `YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM`.
    static func pythonText(_ date: Date, in zone: TimeZone) -> String {
        let wall = WallClock(date, in: zone)
        let (year, month, day) = wall.date
        let micros = Int(((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000).rounded())
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        var text = String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, wall.hour, wall.minute, wall.second)
        if micros > 0 { text += String(format: ".%06d", micros) }
        text += String(format: "%@%02d:%02d", sign, abs(offset) / 3600, (abs(offset) / 60) % 60)
        return text
    }
}
