import Foundation
import GRDB
import PrefectSchemas

/// The events Prefect's server makes about work pools and their queues
/// (`prefect/server/models/events.py`, `models/workers.py`): `prefect.work-pool.created`,
/// `.updated`, `.deleted` and a status event (`.ready`, `.not-ready`, `.paused`), and the same for
/// `prefect.work-queue.*`.
enum WorkPoolEvents {
    /// How close the previous status event of a pool must be for a new one to follow it
    /// (`_get_recent_preceding_work_pool_event_id`).
    static let followsWithin: TimeInterval = 600

    /// `_work_pool_resource`.
    static func resource(_ pool: WorkPool) -> EventResource {
        [
            "prefect.resource.id": "prefect.work-pool.\(pool.id.prefectString)", "prefect.resource.name": pool.name,
            "prefect.work-pool.type": pool.type, "prefect.resource.role": "work-pool",
        ]
    }

    /// `work_pool_created_event` / `work_pool_deleted_event`, related to the pool's default
    /// queue and result-storage block (`_work_pool_related_resources`).
    static func lifecycle(_ action: LifecycleEvent.Action, _ pool: WorkPool, now: Date) -> Event {
        var related: [EventResource] = []
        if let queue = pool.defaultQueueID {
            related.append(["prefect.resource.id": "prefect.work-queue.\(queue.prefectString)", "prefect.resource.role": "default-queue"])
        }
        if let block = pool.storageConfiguration.defaultResultStorageBlockID {
            related.append(["prefect.resource.id": "prefect.block-document.\(block.prefectString)", "prefect.resource.role": "result-storage"])
        }
        return Event(
            event: "prefect.work-pool.\(action.rawValue)", resource: resource(pool), occurred: now, related: related, id: .version7(at: now))
    }

    /// `work_pool_updated_event`: the fields of `WORK_POOL_EVENT_FIELDS` an update changed, in
    /// the update model's order; nil when none did.
    static func updated(before: WorkPool, after: WorkPool, given: [String], now: Date) throws -> Event? {
        let values: [(String, (WorkPool) throws -> JSONValue)] = [
            ("description", { $0.description.map(JSONValue.string) ?? .null }),
            ("base_job_template", { .object($0.baseJobTemplate) }),
            ("concurrency_limit", { $0.concurrencyLimit.map { .int(Int64($0)) } ?? .null }),
            ("storage_configuration", { try PrefectJSON.decode(JSONValue.self, from: try ServerJSON.encode($0.storageConfiguration)) }),
        ]
        let fields = try values.filter { given.contains($0.0) }.map { (name: $0.0, from: try $0.1(before), to: try $0.1(after)) }
        guard let payload = LifecycleEvent.changes(fields) else { return nil }
        return Event(event: "prefect.work-pool.updated", resource: resource(after), occurred: now, payload: payload, id: .version7(at: now))
    }

    /// The id of a pool's latest status event, its resource id the argument: read from the
    /// pool's own rows in `event_resources` (role `""`), newest first.
    static let latestStatusEvent = """
        SELECT events.id FROM event_resources AS own CROSS JOIN events ON events.id = own.event_id
        WHERE own.resource_id = ? AND own.resource_role = ''
            AND events.event IN ('prefect.work-pool.ready', 'prefect.work-pool.not-ready', 'prefect.work-pool.paused')
        ORDER BY own.occurred DESC, events.rowid DESC LIMIT 1
        """

    /// `work_pool_status_event`: named after the pool's status, following the previous status
    /// event when the pool last changed status less than ten minutes ago. Nil for a pool
    /// without a status (`prefect-agent`).
    static func status(_ db: Database, _ pool: WorkPool, previousTransition: Date?, now: Date) throws -> Event? {
        guard let status = pool.status else { return nil }
        var follows: UUID?
        if let previousTransition, now.timeIntervalSince(previousTransition) < followsWithin {
            follows = try String.fetchOne(db, sql: latestStatusEvent, arguments: ["prefect.work-pool.\(pool.id.prefectString)"])
                .flatMap(UUID.init(uuidString:))
        }
        var statusResource = resource(pool)
        statusResource.labels["prefect.resource.role"] = nil
        return Event(
            event: "prefect.work-pool.\(kebab(status.rawValue))", resource: statusResource, occurred: now, id: .version7(at: now),
            follows: follows)
    }

    /// `StrEnum.in_kebab_case`: `NOT_READY` → `not-ready`.
    static func kebab(_ value: String) -> String {
        value.lowercased().replacingOccurrences(of: "_", with: "-")
    }
}

/// `prefect.work-queue.*` (`work_queue_created_event`, `work_queue_updated_event`,
/// `work_queue_deleted_event`, `work_queue_status_event`): about the queue, related to its pool.
enum WorkQueueEvents {
    static func event(_ db: Database, _ name: String, _ queue: WorkQueue, payload: JSONObject = [:], now: Date) throws -> Event {
        var related: [EventResource] = []
        if let poolID = queue.workPoolID,
            let pool = try Row.fetchOne(db, sql: "SELECT name, type FROM work_pool WHERE id = ?", arguments: [poolID.prefectString])
        {
            related.append([
                "prefect.resource.id": "prefect.work-pool.\(poolID.prefectString)", "prefect.resource.name": pool["name"] ?? "",
                "prefect.work-pool.type": pool["type"] ?? "", "prefect.resource.role": "work-pool",
            ])
        }
        return Event(
            event: "prefect.work-queue.\(name)",
            resource: [
                "prefect.resource.id": "prefect.work-queue.\(queue.id.prefectString)", "prefect.resource.name": queue.name,
                "prefect.resource.role": "work-queue",
            ],
            occurred: now, related: related, payload: payload, id: .version7(at: now))
    }

    /// The fields of `WORK_QUEUE_EVENT_FIELDS` an update changed, in the update model's order;
    /// nil when none did.
    static func updated(_ db: Database, before: WorkQueue, after: WorkQueue, given: [String], now: Date) throws -> Event? {
        let values: [(String, (WorkQueue) -> JSONValue)] = [
            ("name", { .string($0.name) }),
            ("description", { $0.description.map(JSONValue.string) ?? .null }),
            ("concurrency_limit", { $0.concurrencyLimit.map { .int(Int64($0)) } ?? .null }),
            ("priority", { .int(Int64($0.priority)) }),
        ]
        let fields = values.filter { given.contains($0.0) }.map { (name: $0.0, from: $0.1(before), to: $0.1(after)) }
        guard let payload = LifecycleEvent.changes(fields) else { return nil }
        return try event(db, "updated", after, payload: payload, now: now)
    }

    /// The status event of the queue, named after its status.
    static func status(_ db: Database, _ queue: WorkQueue, now: Date) throws -> Event? {
        guard let status = queue.status else { return nil }
        return try event(db, WorkPoolEvents.kebab(status.rawValue), queue, now: now)
    }
}
