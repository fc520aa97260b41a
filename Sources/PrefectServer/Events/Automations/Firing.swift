import Foundation
import PrefectSchemas

/// One firing of a trigger (Prefect's `Firing`, `prefect/server/events/schemas/automations.py`):
/// when, for which `for_each` labels, the event it fired on (or the last one its bucket saw),
/// and for a compound or sequence trigger the firings of its children. Stored as JSON while a
/// composite trigger waits for its other children.
struct Firing: Sendable, Codable {
    var id: UUID
    var triggerID: UUID
    var triggered: Date
    var triggeringLabels: JSONObject
    var triggeringFirings: [Firing]
    /// The event as the API answers it (a `ReceivedEvent`).
    var triggeringEvent: JSONValue?

    init(triggerID: UUID, triggered: Date, triggeringLabels: JSONObject = [:], triggeringFirings: [Firing] = [],
         triggeringEvent: JSONValue?) {
        self.id = .version7(at: triggered)
        self.triggerID = triggerID
        self.triggered = triggered
        self.triggeringLabels = triggeringLabels
        self.triggeringFirings = triggeringFirings
        self.triggeringEvent = triggeringEvent
    }

    enum CodingKeys: String, CodingKey {
        case id
        case triggerID = "trigger_id"
        case triggered
        case triggeringLabels = "triggering_labels"
        case triggeringFirings = "triggering_firings"
        case triggeringEvent = "triggering_event"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        triggerID = try container.decode(UUID.self, forKey: .triggerID)
        triggered = StoredTime.date(try container.decode(Int64.self, forKey: .triggered))
        triggeringLabels = try container.decodeIfPresent(JSONObject.self, forKey: .triggeringLabels) ?? [:]
        triggeringFirings = try container.decodeIfPresent([Firing].self, forKey: .triggeringFirings) ?? []
        triggeringEvent = try container.decodeIfPresent(JSONValue.self, forKey: .triggeringEvent)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.prefectString, forKey: .id)
        try container.encode(triggerID.prefectString, forKey: .triggerID)
        try container.encode(StoredTime.micros(triggered), forKey: .triggered)
        try container.encode(triggeringLabels, forKey: .triggeringLabels)
        try container.encode(triggeringFirings, forKey: .triggeringFirings)
        try container.encodeIfPresent(triggeringEvent, forKey: .triggeringEvent)
    }

    /// `all_firings`: this one and all below it.
    var allFirings: [Firing] { [self] + triggeringFirings.flatMap(\.allFirings) }

    /// `all_events`: the triggering events of this firing and all below it.
    var allEvents: [JSONValue] { (triggeringEvent.map { [$0] } ?? []) + triggeringFirings.flatMap(\.allEvents) }

    /// The firing as templates see it (`firing`, `firings`).
    var templateValue: JSONValue {
        [
            "id": .string(id.prefectString), "trigger_id": .string(triggerID.prefectString),
            "trigger_states": ["Triggered"], "triggered": .string(PrefectDate.format(triggered)),
            "triggering_labels": .object(triggeringLabels), "triggering_firings": .array(triggeringFirings.map(\.templateValue)),
            "triggering_event": triggeringEvent ?? .null,
        ]
    }
}

/// An action an automation's firing asks for (Prefect's `TriggeredAction`), handed from the
/// triggers service to the actions service.
struct TriggeredAction: Sendable {
    /// The invocation: one per action of one firing.
    let id: UUID
    let automation: LoadedAutomation
    let firing: Firing
    let triggered: Date
    let triggeringLabels: JSONObject
    /// The event the action acts on: the firing's for `actions`, the automation's own
    /// `prefect.automation.triggered` event for `actions_on_trigger`.
    let triggeringEvent: JSONValue?
    let action: AutomationAction
    let actionIndex: Int
    /// The `prefect.automation.triggered` event of the firing.
    let automationTriggeredEventID: UUID?

    /// `idempotency_key`: what a `run-deployment` action's flow run is created with, so that a
    /// repeated invocation creates it once.
    var idempotencyKey: String {
        "automation \(automation.id.prefectString), action \(actionIndex), invocation \(id.prefectString)"
    }
}
