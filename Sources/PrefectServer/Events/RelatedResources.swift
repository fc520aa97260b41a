import Foundation
import GRDB
import PrefectSchemas

/// The related resources of Prefect's server-made events (`prefect/server/models/events.py`:
/// `_as_resource_data`, `_resource_data_as_related_resources`, `_provenance_as_related_resources`).
enum RelatedResources {
    /// A flow run's flow, deployment, work queue, work pool and parent task run (those it has, in
    /// that order), then the tags of all of them and of the run, sorted, then its creator when a
    /// deployment or an automation made it.
    ///
    /// Prefect keeps this list in a five-minute cache per run; it is read afresh here, so a
    /// rename or a tag change shows in the next event.
    static func ofFlowRun(_ db: Database, _ run: FlowRun) throws -> [EventResource] {
        var related: [EventResource] = []
        var tags = Set(run.tags)
        if let flow = try Row.fetchOneCached(db, sql: "SELECT name, tags FROM flow WHERE id = ?", arguments: [run.flowID.prefectString]) {
            related.append(resource("flow", id: run.flowID.prefectString, name: flow["name"]))
            tags.formUnion(try tagList(flow["tags"]))
        }
        if let deploymentID = run.deploymentID,
            let deployment = try Row.fetchOneCached(
                db, sql: "SELECT name, tags FROM deployment WHERE id = ?", arguments: [deploymentID.prefectString])
        {
            related.append(resource("deployment", id: deploymentID.prefectString, name: deployment["name"]))
            tags.formUnion(try tagList(deployment["tags"]))
        }
        if let queueID = run.workQueueID { related += try queueAndPool(db, queueID: queueID) }
        if let parentID = run.parentTaskRunID,
            let parent = try Row.fetchOneCached(
                db, sql: "SELECT name, tags FROM task_run WHERE id = ?",
                arguments: [parentID.prefectString])
        {
            related.append(resource("task-run", id: parentID.prefectString, name: parent["name"]))
            tags.formUnion(try tagList(parent["tags"]))
        }
        related += tags.sorted().map { ["prefect.resource.id": "prefect.tag.\($0)", "prefect.resource.role": "tag"] }
        if let creator = creator(run.createdBy) { related.append(creator) }
        return related
    }

    /// A work queue and its pool (with the pool's type), as flow-run and deployment events
    /// relate them; none when the queue is gone.
    static func queueAndPool(_ db: Database, queueID: UUID) throws -> [EventResource] {
        guard let queue = try Row.fetchOneCached(
            db,
            sql: """
                SELECT work_queue.name AS queue_name, work_pool.id AS pool_id, work_pool.name AS pool_name, work_pool.type AS pool_type
                FROM work_queue JOIN work_pool ON work_pool.id = work_queue.work_pool_id WHERE work_queue.id = ?
                """,
            arguments: [queueID.prefectString])
        else { return [] }
        var pool = resource("work-pool", id: queue["pool_id"], name: queue["pool_name"])
        pool.labels["prefect.work-pool.type"] = queue["pool_type"]
        return [resource("work-queue", id: queueID.prefectString, name: queue["queue_name"]), pool]
    }

    /// `_provenance_as_related_resources`: the deployment or automation that made an object.
    static func creator(_ createdBy: CreatedBy?) -> EventResource? {
        guard let createdBy, let id = createdBy.id else { return nil }
        let kind: String
        switch createdBy.type {
        case "DEPLOYMENT": kind = "deployment"
        case "AUTOMATION": kind = "automation"
        default: return nil
        }
        var creator: EventResource = ["prefect.resource.id": "prefect.\(kind).\(id.prefectString)", "prefect.resource.role": "creator"]
        if let name = createdBy.displayValue, !name.isEmpty { creator.labels["prefect.resource.name"] = name }
        return creator
    }

    static func resource(_ kind: String, id: String, name: String?) -> EventResource {
        [
            "prefect.resource.id": "prefect.\(kind).\(id)", "prefect.resource.role": kind,
            "prefect.resource.name": name ?? "",
        ]
    }

    /// The tags stored as a JSON array in a `tags` column; a column that holds anything else
    /// counts as no tags.
    private static func tagList(_ text: String?) throws -> [String] {
        guard let text, let data = text.data(using: .utf8),
            let value = try? PrefectJSON.decode(JSONValue.self, from: data)
        else { return [] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
