import Foundation
import GRDB
import PrefectSchemas

/// The events Prefect's server makes about deployments (`prefect/server/models/events.py`,
/// `models/deployments.py`): `prefect.deployment.created`, `.updated` (with the fields that
/// changed), `.deleted`, and `.ready` / `.not-ready` when its status changes.
enum DeploymentEvents {
    /// `DEPLOYMENT_EVENT_FIELDS`: the fields whose change is announced, by the name Prefect's
    /// ORM gives them (`infra_overrides` is the API's `job_variables`).
    typealias Snapshot = [String: JSONValue]

    /// The tracked fields of the deployment as stored now; nil when there is none.
    static func snapshot(_ db: Database, id: UUID) throws -> Snapshot? {
        guard let stored = try DeploymentStore.read(db, id: id) else { return nil }
        var snapshot: Snapshot = [:]
        for member in ["description", "tags", "parameters", "parameter_openapi_schema", "enforce_parameter_schema", "entrypoint",
                       "path", "pull_steps", "labels", "version", "concurrency_options"] {
            snapshot[member] = stored.body[member] ?? .null
        }
        snapshot["infra_overrides"] = stored.body["job_variables"] ?? .null
        snapshot["work_queue_id"] = stored.workQueueID.map { .string($0.prefectString) } ?? .null
        snapshot["paused"] = .bool(stored.paused)
        snapshot["concurrency_limit_id"] = stored.concurrencyLimitID.map { .string($0.prefectString) } ?? .null
        return snapshot
    }

    /// `prefect.deployment.updated` when a tracked field changed between `before` and now,
    /// with `updated_fields` and `updates` (`{field: {from, to}}`, fields by name: Prefect
    /// lists them in its set's arbitrary order).
    static func emitUpdated(_ db: Database, id: UUID, before: Snapshot, now: Date) throws {
        guard let after = try snapshot(db, id: id) else { return }
        guard let payload = LifecycleEvent.changes(after.keys.sorted().map { ($0, before[$0] ?? .null, after[$0] ?? .null) }) else { return }
        try emit(db, "updated", id: id, payload: payload, now: now)
    }

    /// `prefect.deployment.created` / `.deleted` (built before the row goes) / `.ready` /
    /// `.not-ready`.
    static func emit(_ db: Database, _ action: String, id: UUID, payload: JSONObject = [:], now: Date) throws {
        guard let stored = try DeploymentStore.read(db, id: id) else { return }
        try ServerEvents.emit(db, Event(
            event: "prefect.deployment.\(action)",
            resource: ["prefect.resource.id": "prefect.deployment.\(id.prefectString)", "prefect.resource.name": stored.name],
            occurred: now, related: try related(db, stored), payload: payload, id: .version7(at: now)))
    }

    /// `_deployment_related_resources`: its flow, work queue and pool, storage and
    /// infrastructure blocks and its concurrency limit.
    static func related(_ db: Database, _ stored: DeploymentStore.Stored) throws -> [EventResource] {
        var related: [EventResource] = []
        if let flowName = try String.fetchOne(db, sql: "SELECT name FROM flow WHERE id = ?", arguments: [stored.flowID.prefectString]) {
            related.append(RelatedResources.resource("flow", id: stored.flowID.prefectString, name: flowName))
        }
        if let queueID = stored.workQueueID { related += try RelatedResources.queueAndPool(db, queueID: queueID) }
        for (member, role) in [("storage_document_id", "storage"), ("infrastructure_document_id", "infrastructure")] {
            if let document = stored.body[member]?.stringValue {
                related.append(["prefect.resource.id": "prefect.block-document.\(document)", "prefect.resource.role": role])
            }
        }
        if let limitID = stored.concurrencyLimitID {
            related.append([
                "prefect.resource.id": "prefect.concurrency-limit.\(limitID.prefectString)", "prefect.resource.role": "concurrency-limit",
            ])
        }
        return related
    }
}
