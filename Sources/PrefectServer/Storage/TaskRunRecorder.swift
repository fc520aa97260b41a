import Foundation
import GRDB
import Logging
import PrefectSchemas

/// Task runs made from the state-change events a client's engine emits
/// (`prefect.task-run.<state>` with `prefect.orchestration: client`), as Prefect's
/// `server/services/task_run_recorder.py` makes them: Prefect 3's Python engine reports the task
/// runs of a flow this way only. The embedded server records them when the event is stored, in
/// the same transaction, instead of in a later batch.
///
/// Per event, as Prefect: the run is matched by its flow run, task key and dynamic key (or by
/// id without a flow run); an existing run takes the event's members only if the event's state
/// is newer than the run's; the state is stored under the event's id either way.
enum TaskRunRecorder {
    private static let logger = Logger(label: "prefect.server.task-run-recorder")

    /// Records the task runs of those of `events` that are client task-run state changes. An
    /// event that cannot be recorded (a malformed payload, a flow run that does not exist) is
    /// kept as an event and logged.
    static func record(_ db: Database, _ events: [Event]) throws {
        let recordable = events.filter { $0.event.hasPrefix("prefect.task-run") && $0.resource.labels["prefect.orchestration"] == "client" }
        for event in recordable.sorted(by: { $0.occurred < $1.occurred }) {
            do {
                try db.inSavepoint {
                    try record(db, event)
                    return .commit
                }
            } catch {
                logger.warning("a task-run event was not recorded", metadata: ["event": "\(event.id.prefectString)", "error": "\(error)"])
            }
        }
    }

    private static func record(_ db: Database, _ event: Event) throws {
        let (run, state) = try taskRun(from: event)
        let now = Date()
        let existing = try run.flowRunID != nil
            ? TaskRunStore.read(db, flowRunID: run.flowRunID, taskKey: run.taskKey, dynamicKey: run.dynamicKey, now: now)
                ?? TaskRunStore.read(db, id: run.id, now: now)
            : TaskRunStore.read(db, id: run.id, now: now)
        var recorded = run
        recorded.updated = now
        if let existing {
            recorded.id = existing.id
            recorded.created = existing.created
            if (existing.state?.timestamp ?? .distantPast) < state.timestamp {
                var changed = recorded
                changed.state?.stateDetails.taskRunID = existing.id
                try TaskRunStore.save(db, changed)
            }
        } else {
            recorded.created = now
            try TaskRunStore.insert(db, recorded)
        }
        var stored = state
        stored.stateDetails.taskRunID = recorded.id
        try TaskRunStore.insertState(db, stored, runID: recorded.id, ignoringDuplicate: true)
    }

    /// `task_run_from_event`: the payload's `task_run` with the ids from the event's resources
    /// and its `validated_state` as the state (id and timestamp the event's).
    static func taskRun(from event: Event) throws -> (TaskRun, State) {
        guard let taskRunID = objectID(event.resource.id, kind: "prefect.task-run") else {
            throw StoredValueError(table: "events", column: "resource")
        }
        let flowRunID = event.related.first { $0.role == "flow-run" }.flatMap { objectID($0.id, kind: "prefect.flow-run") }
        guard case .object(var stateMembers)? = event.payload["validated_state"],
              case .object(var members)? = event.payload["task_run"]
        else { throw StoredValueError(table: "events", column: "payload") }
        stateMembers["id"] = .string(event.id.prefectString)
        stateMembers["timestamp"] = .string(PrefectDate.format(event.occurred))
        var details = stateMembers["state_details"]?.objectValue ?? [:]
        details["task_run_id"] = .string(taskRunID.prefectString)
        details["flow_run_id"] = flowRunID.map { .string($0.prefectString) } ?? .null
        stateMembers["state_details"] = .object(details)
        let state = try PrefectJSON.decode(State.self, from: ServerJSON.encode(JSONValue.object(stateMembers)))
        members["id"] = .string(taskRunID.prefectString)
        members["flow_run_id"] = flowRunID.map { .string($0.prefectString) } ?? .null
        members["state_id"] = .string(state.id.prefectString)
        members["state_type"] = .string(state.type.rawValue)
        members["state_name"] = state.name.map(JSONValue.string) ?? .null
        members["state"] = .object(stateMembers)
        return (try PrefectJSON.decode(TaskRun.self, from: ServerJSON.encode(JSONValue.object(members))), state)
    }

    /// The UUID of a resource id `<kind>.<uuid>`.
    private static func objectID(_ resourceID: String, kind: String) -> UUID? {
        guard resourceID.hasPrefix(kind + ".") else { return nil }
        return UUID(uuidString: String(resourceID.dropFirst(kind.count + 1)))
    }
}
