import Foundation
import GRDB
import PrefectSchemas

/// `prefect.<kind>.created`, `.updated` and `.deleted`: the events Prefect's server makes when
/// an object is written (`prefect/server/events/schemas/lifecycle.py`). The payload is the
/// object's shape as a consumer needs it without reading the object back.
enum LifecycleEvent {
    enum Action: String {
        case created, updated, deleted
    }

    /// `_lifecycle_event`: a new time-ordered id, occurred now.
    static func make(
        kind: String, _ action: Action, id: UUID, name: String?, payload: JSONObject, related: [EventResource] = [], now: Date
    ) -> Event {
        var resource: EventResource = ["prefect.resource.id": "prefect.\(kind).\(id.prefectString)"]
        if let name { resource.labels["prefect.resource.name"] = name }
        return Event(
            event: "prefect.\(kind).\(action.rawValue)", resource: resource, occurred: now, related: related, payload: payload,
            id: .version7(at: now))
    }

    /// `_flow_event`: payload `FlowEventPayload` (name, tags, labels).
    static func flow(_ action: Action, _ flow: Flow, now: Date) -> Event {
        make(
            kind: "flow", action, id: flow.id, name: flow.name,
            payload: ["name": .string(flow.name), "tags": .array(flow.tags.map(JSONValue.string)), "labels": .object(flow.labels)],
            now: now)
    }

    /// `_variable_event`: payload `VariableEventPayload` (name, value, tags).
    static func variable(_ action: Action, _ variable: Variable, now: Date) -> Event {
        make(
            kind: "variable", action, id: variable.id, name: variable.name,
            payload: [
                "name": .string(variable.name), "value": variable.value ?? .null,
                "tags": .array(variable.tags.map(JSONValue.string)),
            ],
            now: now)
    }
}

extension LifecycleEvent {
    /// The payload of an `updated` event (`updated_fields`, and `updates` as `{field: {from,
    /// to}}`) for the fields whose values differ, in the order given; nil when none does.
    static func changes(_ fields: [(name: String, from: JSONValue, to: JSONValue)]) -> JSONObject? {
        let changed = fields.filter { $0.from != $0.to }
        guard !changed.isEmpty else { return nil }
        return [
            "updated_fields": .array(changed.map { .string($0.name) }),
            "updates": .object(JSONObject(changed.map { ($0.name, ["from": $0.from, "to": $0.to]) })),
        ]
    }

    /// `_concurrency_limit_v2_event` (the v1 tag limits are `tag:` limits of the same table and
    /// are announced the same way, as in Prefect): payload name, limit, active, decay.
    static func concurrencyLimit(_ action: Action, _ limit: GlobalConcurrencyLimitStore.Stored, now: Date) -> Event {
        make(
            kind: "concurrency-limit", action, id: limit.id, name: limit.name,
            payload: [
                "name": .string(limit.name), "limit": .int(limit.limit), "active": .bool(limit.active),
                "slot_decay_per_second": .double(limit.slotDecayPerSecond),
            ],
            now: now)
    }
}

extension LifecycleEvent {
    /// `Automation`'s fields in its model's order, as `model_dump` writes them.
    static let automationFields = [
        "name", "description", "enabled", "tags", "trigger", "actions", "actions_on_trigger", "actions_on_resolve", "id",
        "created", "updated",
    ]

    /// `_automation_event`: the automation itself as payload (`automation.model_dump(mode="json")`).
    static func automation(_ action: Action, _ automation: JSONObject, now: Date) -> Event {
        let id = automation["id"]?.stringValue.flatMap(UUID.init(uuidString:)) ?? UUID.version4()
        let known = automationFields.compactMap { key in automation[key].map { (key, $0) } }
        let rest = automation.filter { !automationFields.contains($0.key) }.map { ($0.key, $0.value) }
        return make(
            kind: "automation", action, id: id, name: automation["name"]?.stringValue, payload: JSONObject(known + rest), now: now)
    }
}

/// Storing the events the server makes, inside the write that caused them: they exist exactly
/// when the write committed, and reach `/events/out` subscribers after the commit
/// (``StoredRowsObserver``). Prefect publishes them to its event pipeline from within the
/// write instead, and stores them a moment later.
enum ServerEvents {
    static func emit(_ db: Database, _ events: Event...) throws {
        try EventStore.insert(db, events, received: Date())
    }
}
