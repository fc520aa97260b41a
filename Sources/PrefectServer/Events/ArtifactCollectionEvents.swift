import Foundation
import GRDB
import PrefectSchemas

/// `prefect.artifact-collection.*` (`_artifact_collection_event`,
/// `prefect/server/events/schemas/lifecycle.py`): about a key's collection row, with its key,
/// type, data and description as payload, related to its latest artifact and that artifact's
/// flow run and task run.
enum ArtifactCollectionEvents {
    /// The event for the collection of `key` as it is stored now; nil when there is none.
    static func event(_ db: Database, _ action: LifecycleEvent.Action, key: String, now: Date) throws -> Event? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT id, latest_id, type, description, data, flow_run_id, task_run_id FROM artifact_collection WHERE key = ?",
            arguments: [key]),
            let id = (row["id"] as String?).flatMap(UUID.init(uuidString:))
        else { return nil }
        var related: [EventResource] = []
        if let latest = row["latest_id"] as String? {
            related.append(["prefect.resource.id": "prefect.artifact.\(latest)", "prefect.resource.role": "latest"])
        }
        if let flowRun = row["flow_run_id"] as String? {
            related.append(["prefect.resource.id": "prefect.flow-run.\(flowRun)", "prefect.resource.role": "flow-run"])
        }
        if let taskRun = row["task_run_id"] as String? {
            related.append(["prefect.resource.id": "prefect.task-run.\(taskRun)", "prefect.resource.role": "task-run"])
        }
        let data = try JSONText.decode(row["data"] as String?) ?? .null
        let payload: JSONObject = [
            "key": .string(key), "type": (row["type"] as String?).map(JSONValue.string) ?? .null, "data": data,
            "description": (row["description"] as String?).map(JSONValue.string) ?? .null,
        ]
        return LifecycleEvent.make(kind: "artifact-collection", action, id: id, name: key, payload: payload, related: related, now: now)
    }
}
