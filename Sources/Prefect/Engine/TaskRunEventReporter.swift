import Foundation
import PrefectClient
import Synchronization

/// A task run kept in the process and reported as Prefect 3.9.1's engine reports it
/// (`TaskRunEngine.set_state` and `emit_task_run_state_change_event`,
/// `prefect/task_engine.py`, `prefect/utilities/engine`): each state is taken at once (no
/// server decides), the run's counters follow it, and a `prefect.task-run.<state>` event —
/// id the state's, following the one before — is queued for the server's task-run recorder.
final class TaskRunEventReporter: Sendable {
    private struct Current {
        var run: TaskRun
        var lastEventID: UUID?
        /// The run's members as its first event carried them: later events change only the
        /// counters (``Progress``), so the rest is not encoded again.
        var members: JSONObject?
    }

    /// The members of a task run that its states change, encoded as the run encodes them.
    private struct Progress: Encodable {
        let run: TaskRun

        enum CodingKeys: String, CodingKey, CaseIterable {
            case runCount = "run_count"
            case startTime = "start_time"
            case endTime = "end_time"
            case totalRunTime = "total_run_time"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(run.runCount, forKey: .runCount)
            try container.encodeIfPresent(run.startTime.map(PrefectDate.format), forKey: .startTime)
            try container.encodeIfPresent(run.endTime.map(PrefectDate.format), forKey: .endTime)
            try container.encode(run.totalRunTime, forKey: .totalRunTime)
        }
    }

    private let current: Mutex<Current>
    private let queue: TaskRunEventQueue
    /// `PREFECT_EVENTS_…` truncation of state messages in events.
    private static let messageLimit = 100_000

    init(run: TaskRun, queue: TaskRunEventQueue) {
        current = Mutex(Current(run: run))
        self.queue = queue
    }

    var run: TaskRun { current.withLock { $0.run } }

    /// Takes `state` and queues its event; the outcome is always accepted.
    func propose(_ proposed: State) -> StateProposer.Outcome {
        let (event, state) = current.withLock { current -> (Event, State) in
            var state = proposed
            let last = current.run.state
            if let last, last.timestamp >= state.timestamp {
                state.timestamp = last.timestamp.addingTimeInterval(0.000_001)
            }
            state.stateDetails.taskRunID = current.run.id
            state.stateDetails.flowRunID = current.run.flowRunID
            var run = current.run
            run.state = state
            run.stateID = state.id
            run.stateType = state.type
            run.stateName = state.name
            if let last, last.isRunning { run.totalRunTime += state.timestamp.timeIntervalSince(last.timestamp) }
            if state.isRunning {
                run.runCount += 1
                if run.startTime == nil { run.startTime = state.timestamp }
            }
            if state.isFinal, run.startTime != nil, run.endTime == nil { run.endTime = state.timestamp }
            var members = current.members ?? Self.members(of: run, dropping: Self.notInEvents)
            current.members = members
            let progress = Self.members(of: Progress(run: run), dropping: [])
            for key in Progress.CodingKeys.allCases { members[key.rawValue] = progress[key.rawValue] }
            let event = Self.event(run: run, members: members, initial: last, validated: state, follows: current.lastEventID)
            current.run = run
            current.lastEventID = event.id
            return (event, state)
        }
        queue.enqueue(event)
        return StateProposer.Outcome(state: state, accepted: true)
    }

    /// The members of a task run its events leave out.
    private static let notInEvents: Set<String> = [
        "id", "created", "updated", "flow_run_id", "state_id", "state_type", "state_name", "state",
        "estimated_start_time_delta", "estimated_run_time",
    ]

    /// `emit_task_run_state_change_event`; `taskRun` is the run's members without
    /// ``notInEvents`` and without nulls.
    private static func event(run: TaskRun, members taskRun: JSONObject, initial: State?, validated: State, follows: UUID?) -> Event {
        let message = String((validated.message ?? "").prefix(messageLimit))
        let resource: [String: String] = [
            "prefect.resource.id": "prefect.task-run.\(run.id.prefectString)",
            "prefect.resource.name": run.name,
            "prefect.run-count": "\(run.runCount)",
            "prefect.state-message": message,
            "prefect.state-name": validated.name ?? "",
            "prefect.state-timestamp": PrefectDate.format(validated.timestamp),
            "prefect.state-type": validated.type.rawValue,
            "prefect.orchestration": "client",
        ]
        var related: [EventResource] = []
        if let flowRunID = run.flowRunID {
            related.append(["prefect.resource.id": "prefect.flow-run.\(flowRunID.prefectString)", "prefect.resource.role": "flow-run"])
        }
        for tag in run.tags.sorted() {
            related.append(["prefect.resource.id": "prefect.tag.\(tag)", "prefect.resource.role": "tag"])
        }
        return Event(
            event: "prefect.task-run.\(validated.name ?? validated.type.rawValue.capitalized)",
            resource: EventResource(labels: resource), occurred: validated.timestamp, related: related,
            payload: [
                "intended": ["from": initial.map { .string($0.type.rawValue) } ?? .null, "to": .string(validated.type.rawValue)],
                "initial_state": initial.map { state(json: $0, data: nil) } ?? .null,
                "validated_state": state(json: validated, data: validated.data ?? .null),
                "task_run": .object(taskRun),
            ],
            id: validated.id, follows: follows)
    }

    /// `value`'s JSON members without `dropping` and without nulls (`model_dump(exclude_none=True, exclude=…)`).
    private static func members(of value: some Encodable, dropping: Set<String>) -> JSONObject {
        guard let json = try? PrefectJSON.decode(JSONValue.self, from: PrefectJSON.encode(value)),
              case .object(let members) = json
        else { return [:] }
        return members.filter { !dropping.contains($0.key) && $0.value != .null }
    }

    private static func state(json state: State, data: JSONValue?) -> JSONValue {
        let details = members(of: state.stateDetails, dropping: ["flow_run_id", "task_run_id"])
        var fields: JSONObject = [
            "type": .string(state.type.rawValue), "name": state.name.map(JSONValue.string) ?? .null,
            "message": .string(String((state.message ?? "").prefix(messageLimit))), "state_details": .object(details),
        ]
        if let data { fields["data"] = data }
        return .object(fields)
    }
}
