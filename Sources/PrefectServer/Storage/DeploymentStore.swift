import Foundation
import GRDB
import HTTPTypes
import PrefectSchemas

/// Deployments in table `deployment` (Prefect's `models/deployments.py`).
enum DeploymentStore {
    /// A deployment as its row holds it.
    struct Stored: Sendable {
        var id: UUID
        var flowID: UUID
        var name: String
        var paused: Bool
        var workQueueID: UUID?
        /// The `work_queue_name` column (null when the deployment names only its pool).
        var workQueueName: String?
        /// The queue's pool, when the deployment has a queue.
        var workPoolName: String?
        var concurrencyLimitID: UUID?
        /// The stored members of the answer (``DeploymentBodies/storedMembers`` and `labels`).
        var body: JSONObject

        var parameters: JSONObject { body["parameters"]?.objectValue ?? [:] }
        var tags: [String] { body["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var labels: JSONObject { body["labels"]?.objectValue ?? [:] }
        var version: String? { body["version"]?.stringValue }
        var enforceParameterSchema: Bool { body["enforce_parameter_schema"]?.boolValue ?? true }
        var infrastructureDocumentID: UUID? { body["infrastructure_document_id"]?.stringValue.flatMap(UUID.init(uuidString:)) }
        var jobVariables: JSONObject { body["job_variables"]?.objectValue ?? [:] }
    }

    /// The members a new deployment's answer has when its create leaves them out (the ORM's defaults).
    private static let defaults: JSONObject = [
        "version": .null, "description": .null, "concurrency_options": .null, "job_variables": [:], "parameters": [:],
        "tags": [], "labels": [:], "parameter_openapi_schema": [:], "path": .null, "pull_steps": [], "entrypoint": .null,
        "storage_document_id": .null, "infrastructure_document_id": .null, "created_by": .null, "updated_by": .null,
        "enforce_parameter_schema": true,
    ]

    private static let columns = """
        deployment.id, deployment.flow_id, deployment.name, deployment.created, deployment.updated, deployment.paused,
        deployment.status, deployment.last_polled, deployment.work_queue_id, deployment.work_queue_name,
        deployment.concurrency_limit_id, deployment.body, dq.name AS queue_name, dp.name AS pool_name
        """
    private static let from = """
        deployment LEFT JOIN work_queue AS dq ON dq.id = deployment.work_queue_id
        LEFT JOIN work_pool AS dp ON dp.id = dq.work_pool_id
        """

    static func read(_ db: Database, id: UUID) throws -> Stored? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM \(from) WHERE deployment.id = ?", arguments: [id.prefectString])
            .map(stored)
    }

    static func read(_ db: Database, flowName: String, name: String) throws -> UUID? {
        try String.fetchOne(
            db, sql: "SELECT deployment.id FROM deployment JOIN flow ON flow.id = deployment.flow_id WHERE flow.name = ? AND deployment.name = ?",
            arguments: [flowName, name]
        ).flatMap(UUID.init(uuidString:))
    }

    /// `create_deployment`: inserts the deployment, or updates the one of the same flow and name
    /// with the members the body sets; either way its schedules are replaced and its future
    /// auto-scheduled runs deleted. Returns its id and whether it was inserted. A new deployment
    /// is announced (`prefect.deployment.created`), a changed one too (`.updated`).
    static func upsert(_ db: Database, _ changes: DeploymentBodies.Changes, queueID: UUID??, now: Date) throws -> (id: UUID, inserted: Bool) {
        guard let flowID = changes.flowID, let name = changes.name else {
            throw PrefectServerUnavailable(description: "deployment create without flow or name")
        }
        var labels = try FlowStore.labels(db, id: flowID)
        labels["prefect.flow.id"] = .string(flowID.prefectString)
        labels.merge(changes.labels ?? [:]) { _, user in user }
        let stamp = StoredTime.micros(now)
        let existing = try String.fetchOne(
            db, sql: "SELECT id FROM deployment WHERE flow_id = ? AND name = ?", arguments: [flowID.prefectString, name]
        ).flatMap(UUID.init(uuidString:))
        let id: UUID
        let before = try existing.flatMap { try DeploymentEvents.snapshot(db, id: $0) }
        if let existing, let stored = try read(db, id: existing) {
            id = existing
            var body = stored.body.merging(changes.members) { _, given in given }
            body["labels"] = .object(labels)
            try db.execute(
                sql: "UPDATE deployment SET updated = ?, tags = ?, body = ? WHERE id = ?",
                arguments: [stamp, try JSONText.encode(body["tags"] ?? []), try ServerJSON.encode(JSONValue.object(body)), id.prefectString])
            try applyColumns(db, id: id, changes, queueID: queueID)
            try DeploymentRuns.deleteScheduled(db, deploymentID: id, autoScheduledOnly: true, futureOnly: true, now: now)
        } else {
            id = UUID.version4()
            var body = defaults.merging(changes.members) { _, given in given }
            body["labels"] = .object(labels)
            try db.execute(
                sql: "INSERT INTO deployment (id, flow_id, name, created, updated, tags, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [id.prefectString, flowID.prefectString, name, stamp, stamp, try JSONText.encode(body["tags"] ?? []),
                            try ServerJSON.encode(JSONValue.object(body))])
            try applyColumns(db, id: id, changes, queueID: queueID)
        }
        try DeploymentScheduleStore.deleteAll(db, deploymentID: id)
        // `create_deployment` rebuilds each schedule from its schedule, active, parameters and
        // slug: a `max_scheduled_runs` given here is dropped, as in Prefect.
        let schedules = (changes.schedules ?? []).map { schedule in
            var kept = schedule
            kept.maxScheduledRuns = nil
            return kept
        }
        try DeploymentScheduleStore.create(db, deploymentID: id, schedules, now: now)
        if case .some(let limit) = changes.concurrencyLimit {
            try setConcurrencyLimit(db, deploymentID: id, limit: limit, now: now)
        }
        if let before {
            try DeploymentEvents.emitUpdated(db, id: id, before: before, now: now)
        } else {
            try DeploymentEvents.emit(db, "created", id: id, now: now)
        }
        return (id, existing == nil)
    }

    /// `update_deployment` of `stored` (as read in this write): the members the body sets; the
    /// caller replaces schedules. A change of a tracked field is announced
    /// (`prefect.deployment.updated`).
    static func update(_ db: Database, _ stored: DeploymentStore.Stored, _ changes: DeploymentBodies.Changes, queueID: UUID??, now: Date) throws {
        let id = stored.id
        let before = try DeploymentEvents.snapshot(db, id: id)
        let body = stored.body.merging(changes.members) { _, given in given }
        try db.execute(
            sql: "UPDATE deployment SET updated = ?, tags = ?, body = ? WHERE id = ?",
            arguments: [StoredTime.micros(now), try JSONText.encode(body["tags"] ?? []), try ServerJSON.encode(JSONValue.object(body)),
                        id.prefectString])
        try applyColumns(db, id: id, changes, queueID: queueID)
        try DeploymentRuns.deleteScheduled(db, deploymentID: id, autoScheduledOnly: true, futureOnly: true, now: now)
        if case .some(let limit) = changes.concurrencyLimit {
            try setConcurrencyLimit(db, deploymentID: id, limit: limit, now: now)
        }
        if let before { try DeploymentEvents.emitUpdated(db, id: id, before: before, now: now) }
    }

    private static func applyColumns(_ db: Database, id: UUID, _ changes: DeploymentBodies.Changes, queueID: UUID??) throws {
        if let paused = changes.paused {
            try db.execute(sql: "UPDATE deployment SET paused = ? WHERE id = ?", arguments: [paused, id.prefectString])
        }
        if case .some(let name) = changes.workQueueName {
            try db.execute(sql: "UPDATE deployment SET work_queue_name = ? WHERE id = ?", arguments: [name, id.prefectString])
        }
        if case .some(let queue) = queueID {
            try db.execute(sql: "UPDATE deployment SET work_queue_id = ? WHERE id = ?", arguments: [queue?.prefectString, id.prefectString])
        }
        if case .some(let limitID) = changes.globalConcurrencyLimitID {
            try db.execute(
                sql: "UPDATE deployment SET concurrency_limit_id = ? WHERE id = ?", arguments: [limitID?.prefectString, id.prefectString])
        }
    }

    /// `_create_or_update_deployment_concurrency_limit`: the deployment's own global limit
    /// `deployment:{id}` is created, changed or (for nil) deleted.
    private static func setConcurrencyLimit(_ db: Database, deploymentID: UUID, limit: Int?, now: Date) throws {
        let current = try String.fetchOne(
            db, sql: "SELECT concurrency_limit_id FROM deployment WHERE id = ?", arguments: [deploymentID.prefectString])
        let stamp = StoredTime.micros(now)
        switch (current, limit) {
        case (nil, nil):
            return
        case (let limitID?, nil):
            try db.execute(sql: "DELETE FROM concurrency_limit_v2 WHERE id = ?", arguments: [limitID])
        case (let limitID?, let limit?):
            try db.execute(
                sql: "UPDATE concurrency_limit_v2 SET \"limit\" = ?, updated = ? WHERE id = ? AND \"limit\" != ?",
                arguments: [limit, stamp, limitID, limit])
        case (nil, let limit?):
            let limitID = UUID.version4()
            try db.execute(
                sql: "INSERT INTO concurrency_limit_v2 (id, created, updated, name, \"limit\") VALUES (?, ?, ?, ?, ?)",
                arguments: [limitID.prefectString, stamp, stamp, "deployment:\(deploymentID.prefectString)", limit])
            try db.execute(
                sql: "UPDATE deployment SET concurrency_limit_id = ?, updated = ? WHERE id = ?",
                arguments: [limitID.prefectString, stamp, deploymentID.prefectString])
        }
    }

    /// Whether the global concurrency limit `id` exists.
    static func concurrencyLimitExists(_ db: Database, id: UUID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM concurrency_limit_v2 WHERE id = ?)", arguments: [id.prefectString]) ?? false
    }

    /// `delete_deployment`: its scheduled runs (auto-scheduled or not) and its own limit go too;
    /// the deletion is announced (`prefect.deployment.deleted`, made while the row still exists).
    static func delete(_ db: Database, id: UUID, now: Date) throws -> Bool {
        try DeploymentEvents.emit(db, "deleted", id: id, now: now)
        try DeploymentRuns.deleteScheduled(db, deploymentID: id, autoScheduledOnly: false, futureOnly: false, now: now)
        try db.execute(
            sql: "DELETE FROM concurrency_limit_v2 WHERE id = (SELECT concurrency_limit_id FROM deployment WHERE id = ?)",
            arguments: [id.prefectString])
        try db.execute(sql: "DELETE FROM deployment WHERE id = ?", arguments: [id.prefectString])
        return db.changesCount > 0
    }

    /// `pause_deployment` / `resume_deployment`; pausing deletes the auto-scheduled runs still
    /// Scheduled. False when there is no such deployment.
    static func setPaused(_ db: Database, id: UUID, paused: Bool, now: Date) throws -> Bool {
        try db.execute(sql: "UPDATE deployment SET paused = ? WHERE id = ?", arguments: [paused, id.prefectString])
        guard db.changesCount > 0 else { return false }
        if paused {
            try DeploymentRuns.deleteScheduled(db, deploymentID: id, autoScheduledOnly: true, futureOnly: false, now: now)
        }
        return true
    }

    /// `mark_deployments_ready`: the deployments (or those of the queues) are READY and polled
    /// now; `updated` is left alone. Each that was NOT_READY is announced
    /// (`prefect.deployment.ready`).
    static func markReady(_ db: Database, ids: [UUID] = [], queueIDs: [UUID] = [], now: Date) throws {
        guard !ids.isEmpty || !queueIDs.isEmpty else { return }
        var parts = SQLConditionList()
        if !ids.isEmpty { parts.add(.isIn("id", ids)) }
        if !queueIDs.isEmpty { parts.add(.isIn("work_queue_id", queueIDs)) }
        guard let condition = parts.combined(.or) else { return }
        try markReady(db, where: condition, now: now)
    }

    /// `mark_deployments_ready` for every queue of the pool (a poll of the whole pool).
    static func markReady(_ db: Database, poolID: UUID, now: Date) throws {
        try markReady(
            db, where: SQLCondition(sql: "work_queue_id IN (SELECT id FROM work_queue WHERE work_pool_id = ?)", arguments: [poolID.prefectString]),
            now: now)
    }

    private static func markReady(_ db: Database, where condition: SQLCondition, now: Date) throws {
        let unready = try String.fetchAll(
            db, sql: "SELECT id FROM deployment WHERE status = 'NOT_READY' AND (\(condition.sql)) ORDER BY id",
            arguments: condition.statementArguments
        ).compactMap(UUID.init(uuidString:))
        try db.execute(
            sql: "UPDATE deployment SET status = 'READY', last_polled = ? WHERE \(condition.sql)",
            arguments: StatementArguments([StoredTime.micros(now)] + condition.arguments))
        for id in unready { try DeploymentEvents.emit(db, "ready", id: id, now: now) }
    }

    /// The deployments that match, as the API answers them.
    static func filter(_ db: Database, _ query: DeploymentQuery, sort: DeploymentSort?, page: Page) throws -> [Data] {
        let condition = query.condition()
        let order = switch sort ?? .nameAsc {
        case .createdDesc: "deployment.created DESC"
        case .updatedDesc: "deployment.updated DESC"
        case .nameDesc: "deployment.name DESC"
        default: "deployment.name ASC"
        }
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM \(from) WHERE \(condition?.sql ?? "1") ORDER BY \(order) \(page.sql)",
            arguments: condition?.statementArguments ?? [])
        return try rows.map { try answer(db, row: $0) }
    }

    /// The ids of up to `limit` deployments that match, by name (`bulk_delete`'s pick).
    static func ids(_ db: Database, _ query: DeploymentQuery, limit: Int) throws -> [UUID] {
        let condition = query.condition()
        return try String.fetchAll(
            db, sql: "SELECT deployment.id FROM deployment WHERE \(condition?.sql ?? "1") ORDER BY deployment.name LIMIT ?",
            arguments: StatementArguments((condition?.arguments ?? []) + [limit])
        ).compactMap(UUID.init(uuidString:))
    }

    static func count(_ db: Database, _ query: DeploymentQuery) throws -> Int {
        let condition = query.condition()
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM deployment WHERE \(condition?.sql ?? "1")", arguments: condition?.statementArguments ?? []) ?? 0
    }

    /// The API's JSON for deployment `id` (`DeploymentResponse`).
    static func answer(_ db: Database, id: UUID) throws -> Data? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM \(from) WHERE deployment.id = ?", arguments: [id.prefectString])
        else { return nil }
        return try answer(db, row: row)
    }

    /// `DeploymentResponse.model_validate(…, from_attributes=True)`: the stored members, the
    /// columns, the schedules (latest updated first), the queue's current name and pool, and the
    /// global limit. `concurrency_limit` is always null, as 3.9.1 answers it.
    private static func answer(_ db: Database, row: Row) throws -> Data {
        let deployment = try stored(row)
        var object = deployment.body
        object["id"] = .string(deployment.id.prefectString)
        object["created"] = StoredTime.json(try row.decode(forColumn: "created"))
        object["updated"] = StoredTime.json(try row.decode(forColumn: "updated"))
        object["name"] = .string(deployment.name)
        object["flow_id"] = .string(deployment.flowID.prefectString)
        object["paused"] = .bool(deployment.paused)
        object["status"] = (try row.decode(forColumn: "status") as String?).map(JSONValue.string) ?? .null
        object["last_polled"] = StoredTime.json(try row.decode(forColumn: "last_polled"))
        object["work_queue_id"] = deployment.workQueueID.map { .string($0.prefectString) } ?? .null
        object["work_queue_name"] = ((try row.decode(forColumn: "queue_name") as String?) ?? deployment.workQueueName).map(JSONValue.string) ?? .null
        object["work_pool_name"] = deployment.workPoolName.map(JSONValue.string) ?? .null
        object["schedules"] = .array(try DeploymentScheduleStore.read(db, deploymentID: deployment.id))
        object["concurrency_limit"] = .null
        object["global_concurrency_limit"] = try deployment.concurrencyLimitID.flatMap { try GlobalConcurrencyLimitStore.read(db, id: $0, now: nil)?.response } ?? .null
        return try ServerJSON.encode(JSONValue.object(object))
    }

    private static func stored(_ row: Row) throws -> Stored {
        guard let id = (try row.decode(forColumn: "id") as String?).flatMap(UUID.init(uuidString:)),
            let flowID = (try row.decode(forColumn: "flow_id") as String?).flatMap(UUID.init(uuidString:)),
            let name = try row.decode(forColumn: "name") as String?, let body = try row.decode(forColumn: "body") as Data?,
            case .object(let members) = try PrefectJSON.decode(JSONValue.self, from: body)
        else { throw PrefectServerUnavailable(description: "stored deployment unreadable") }
        return Stored(
            id: id, flowID: flowID, name: name, paused: try row.decode(forColumn: "paused") ?? false,
            workQueueID: (try row.decode(forColumn: "work_queue_id") as String?).flatMap(UUID.init(uuidString:)),
            workQueueName: try row.decode(forColumn: "work_queue_name"), workPoolName: try row.decode(forColumn: "pool_name"),
            concurrencyLimitID: (try row.decode(forColumn: "concurrency_limit_id") as String?).flatMap(UUID.init(uuidString:)), body: members)
    }
}
