import Foundation
import PrefectSchemas

/// The events automations make, as Prefect 3.9.1 makes them: `prefect.automation.triggered`
/// when a firing reaches the automation (`create_automation_state_change_event`,
/// `prefect/server/events/schemas/automations.py`), and `prefect.automation.action.triggered`
/// followed by `.executed` or `.failed` for each action it runs (`Action.succeed` and
/// `Action.fail`, `prefect/server/events/actions.py`).
enum AutomationEvents {
    /// `prefect.automation.triggered`: the automation as resource (with the posture of an event
    /// trigger), the triggering event as related resource and, whole, in the payload with the
    /// firing's labels.
    static func triggered(_ automation: LoadedAutomation, _ firing: Firing) -> Event {
        var resource: EventResource = [
            "prefect.resource.id": "prefect.automation.\(automation.id.prefectString)",
            "prefect.resource.name": automation.name,
        ]
        if let posture = automation.rootPosture { resource.labels["prefect.posture"] = posture.rawValue }
        var related: [EventResource] = []
        if let id = eventID(firing.triggeringEvent) {
            related.append(["prefect.resource.id": "prefect.event.\(id)", "prefect.resource.role": "triggering-event"])
        }
        return Event(
            event: "prefect.automation.triggered", resource: resource, occurred: firing.triggered, related: related,
            payload: ["triggering_labels": .object(firing.triggeringLabels), "triggering_event": firing.triggeringEvent ?? .null],
            id: .version7(at: firing.triggered))
    }

    /// `prefect.automation.action.triggered` and then `.executed` (no `reason`) or `.failed`:
    /// the second follows the first, the first follows the triggering event when that occurred
    /// within five minutes of the firing.
    static func outcome(
        _ triggered: TriggeredAction, resulting: [EventResource], details: JSONObject, failure reason: String?, now: Date
    ) -> [Event] {
        var resource: EventResource = [
            "prefect.resource.id": "prefect.automation.\(triggered.automation.id.prefectString)",
            "prefect.resource.name": triggered.automation.name,
            "prefect.trigger-type": triggered.automation.triggerType,
        ]
        if let posture = triggered.automation.rootPosture { resource.labels["prefect.posture"] = posture.rawValue }
        var related = resulting
        if let id = triggered.automationTriggeredEventID {
            related.append(["prefect.resource.id": "prefect.event.\(id.prefectString)", "prefect.resource.role": "automation-triggered-event"])
        }
        let triggeringID = eventID(triggered.triggeringEvent)
        if let triggeringID {
            related.append(["prefect.resource.id": "prefect.event.\(triggeringID)", "prefect.resource.role": "triggering-event"])
        }
        var follows: UUID?
        if let triggeringID, let occurred = triggered.triggeringEvent?["occurred"]?.stringValue.flatMap(PrefectDate.parse),
           abs(triggered.triggered.timeIntervalSince(occurred)) < 300 {
            follows = UUID(uuidString: triggeringID)
        }
        let actionDetails: JSONObject = [
            "action_index": .int(Int64(triggered.actionIndex)), "action_type": .string(triggered.action.type),
            "invocation": .string(triggered.id.prefectString),
        ]
        let first = Event(
            event: "prefect.automation.action.triggered", resource: resource, occurred: triggered.triggered, related: related,
            payload: actionDetails, id: .version7(at: now), follows: follows)
        var payload = actionDetails
        if let reason { payload["reason"] = .string(reason) }
        for (key, value) in details { payload[key] = value }
        let second = Event(
            event: reason == nil ? "prefect.automation.action.executed" : "prefect.automation.action.failed",
            resource: resource, occurred: now, related: related, payload: payload, id: .version7(at: now), follows: first.id)
        return [first, second]
    }

    private static func eventID(_ event: JSONValue?) -> String? {
        event?["id"]?.stringValue
    }
}
