import Foundation
import GRDB
import PrefectSchemas

/// The event Prefect's server emits for a validated flow-run transition
/// (`prefect/server/models/events.py`, `flow_run_state_change_event`): named
/// `prefect.flow-run.<state name>`, about the run, related to its flow, deployment, work queue,
/// work pool, parent task run, their tags and its creator, with the event id of the state id so
/// the state changes of a run order themselves.
enum FlowRunStateChangeEvent {
    /// `TRUNCATE_STATE_MESSAGES_AT`: longer state messages are cut in the middle.
    static let truncateStateMessagesAt = 100_000
    /// `_timing_is_tight`'s window: `follows` names the prior state only when it is this close.
    static let tightTiming: TimeInterval = 300

    static func make(_ db: Database, run: FlowRun, initial: State?, validated: State) throws -> Event {
        let resource: EventResource = [
            "prefect.resource.id": "prefect.flow-run.\(run.id.prefectString)",
            "prefect.resource.name": run.name,
            "prefect.run-count": String(run.runCount),
            "prefect.state-message": truncated(validated.message),
            "prefect.state-name": validated.name ?? "",
            "prefect.state-timestamp": EventCounting.isoformat(validated.timestamp),
            "prefect.state-type": validated.type.rawValue,
        ]
        let payload: JSONObject = [
            "intended": ["from": initial.map { .string($0.type.rawValue) } ?? .null, "to": .string(validated.type.rawValue)],
            "initial_state": statePayload(initial),
            "validated_state": statePayload(validated),
        ]
        return Event(
            event: "prefect.flow-run.\(validated.name ?? "")", resource: resource, occurred: validated.timestamp,
            related: try RelatedResources.ofFlowRun(db, run), payload: payload, id: validated.id,
            follows: initial.flatMap { isTight(validated.timestamp, $0.timestamp) ? $0.id : nil })
    }

    /// `state_payload`: the essential string parts of a state.
    static func statePayload(_ state: State?) -> JSONValue {
        guard let state else { return .null }
        var payload: JSONObject = ["type": .string(state.type.rawValue)]
        if let name = state.name, !name.isEmpty { payload["name"] = .string(name) }
        if let message = state.message, !message.isEmpty { payload["message"] = .string(truncated(message)) }
        if state.type == .paused { payload["pause_reschedule"] = .string(state.stateDetails.pauseReschedule ? "true" : "false") }
        return .object(payload)
    }

    /// `truncated_to(TRUNCATE_STATE_MESSAGES_AT, message)`: "" for none; a message longer than
    /// the limit (in characters, as Python counts them) keeps its two ends around a count of
    /// what was left out.
    static func truncated(_ message: String?, limit: Int = truncateStateMessagesAt) -> String {
        guard let message, !message.isEmpty else { return "" }
        let scalars = Array(message.unicodeScalars)
        guard scalars.count > limit else { return message }
        let half = limit / 2
        let omitted = scalars.count - 2 * half
        var proposed = String.UnicodeScalarView(scalars[..<half])
        proposed.append(contentsOf: "...\(omitted) additional characters...".unicodeScalars)
        proposed.append(contentsOf: scalars[(scalars.count - half)...])
        return proposed.count < scalars.count ? String(proposed) : message
    }

    private static func isTight(_ occurred: Date, _ previous: Date) -> Bool {
        abs(occurred.timeIntervalSince(previous)) < tightTiming
    }
}
