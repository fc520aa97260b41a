import Foundation
import PrefectSchemas

/// An enabled automation as the triggers service holds it in memory (Prefect's `Automation`
/// as `load_automation` keeps it, `prefect/server/events/triggers.py`): its stored body, its
/// trigger tree, its actions, and each event trigger in the tree armed with the composite
/// triggers above it.
struct LoadedAutomation: Sendable {
    let id: UUID
    let name: String
    let trigger: AutomationTrigger
    let actions: [AutomationAction]
    let actionsOnTrigger: [AutomationAction]
    let actionsOnResolve: [AutomationAction]
    /// The automation as the API answers it (templates see it as `automation`).
    let body: JSONObject
    /// The event triggers of the tree, depth first.
    private(set) var eventTriggers: [ArmedTrigger] = []

    /// nil for a disabled automation, one whose trigger is not understood, or one without event
    /// triggers (metric triggers are Prefect Cloud's): `load_automation` forgets those.
    init?(body: JSONObject) throws {
        guard body["enabled"]?.boolValue ?? true,
              let id = body["id"]?.stringValue.flatMap(UUID.init(uuidString:)),
              let triggerJSON = body["trigger"]
        else { return nil }
        self.id = id
        self.name = body["name"]?.stringValue ?? ""
        self.body = body
        self.trigger = try PrefectJSON.decode(AutomationTrigger.self, from: ServerJSON.encode(triggerJSON))
        func actions(_ key: String) throws -> [AutomationAction] {
            guard let value = body[key], value != .null else { return [] }
            return try PrefectJSON.decode([AutomationAction].self, from: ServerJSON.encode(value))
        }
        self.actions = try actions("actions")
        self.actionsOnTrigger = try actions("actions_on_trigger")
        self.actionsOnResolve = try actions("actions_on_resolve")
        arm(trigger, ancestors: [])
        guard !eventTriggers.isEmpty else { return nil }
    }

    /// `automation.trigger.type`.
    var triggerType: String {
        switch trigger {
        case .event: "event"
        case .compound: "compound"
        case .sequence: "sequence"
        case .metric: "metric"
        case .unknown(let value): value["type"]?.stringValue ?? ""
        }
    }

    /// The posture of the automation's own trigger when it is an event trigger.
    var rootPosture: Posture? {
        if case .event(let event) = trigger { return event.posture }
        return nil
    }

    private mutating func arm(_ node: AutomationTrigger, ancestors: [CompositeTriggerNode]) {
        switch node {
        case .event(let event):
            guard let triggerID = event.id, event.posture == .reactive || event.posture == .proactive else { return }
            eventTriggers.append(ArmedTrigger(automationID: id, id: triggerID, trigger: event, ancestors: ancestors))
        case .compound(let compound):
            guard let node = CompositeTriggerNode(compound: compound) else { return }
            for child in compound.triggers { arm(child, ancestors: ancestors + [node]) }
        case .sequence(let sequence):
            guard let node = CompositeTriggerNode(sequence: sequence) else { return }
            for child in sequence.triggers { arm(child, ancestors: ancestors + [node]) }
        case .metric, .unknown:
            return
        }
    }
}

/// A compound or sequence trigger above an event trigger (Prefect's `CompositeTrigger`).
struct CompositeTriggerNode: Sendable {
    enum Kind: Sendable {
        case compound(expected: Int)
        case sequence
    }

    let id: UUID
    let kind: Kind
    let childIDs: [UUID]
    let within: Double?

    init?(compound: CompoundTrigger) {
        guard let id = compound.id else { return nil }
        self.id = id
        self.childIDs = compound.triggers.compactMap(\.triggerID)
        self.within = compound.within
        let expected = switch compound.require {
        case .any: 1
        case .all: compound.triggers.count
        case .atLeast(let count): count
        }
        self.kind = .compound(expected: expected)
    }

    init?(sequence: SequenceTrigger) {
        guard let id = sequence.id else { return nil }
        self.id = id
        self.childIDs = sequence.triggers.compactMap(\.triggerID)
        self.within = sequence.within
        self.kind = .sequence
    }

    /// `num_expected_firings`.
    var expectedFirings: Int {
        switch kind {
        case .compound(let expected): expected
        case .sequence: childIDs.count
        }
    }

    /// `ready_to_fire`: enough firings for a compound trigger; for a sequence, its children's
    /// firings in the children's order.
    func readyToFire(_ firings: [Firing]) -> Bool {
        switch kind {
        case .compound(let expected):
            return firings.count >= expected
        case .sequence:
            return firings.sorted { $0.triggered < $1.triggered }.map(\.triggerID) == childIDs
        }
    }
}

extension AutomationTrigger {
    var triggerID: UUID? {
        switch self {
        case .event(let trigger): trigger.id
        case .compound(let trigger): trigger.id
        case .sequence(let trigger): trigger.id
        case .metric(let trigger): trigger.id
        case .unknown(let value): value["id"]?.stringValue.flatMap(UUID.init(uuidString:))
        }
    }
}

/// An event trigger of a loaded automation, with the composite triggers above it, root first
/// (its parent is the last; none when the automation's own trigger is this one).
struct ArmedTrigger: Sendable {
    let automationID: UUID
    let id: UUID
    let trigger: EventTrigger
    let ancestors: [CompositeTriggerNode]

    var posture: Posture { trigger.posture }
    var within: Double { trigger.within }
    var threshold: Int { trigger.threshold }
    var hasAfter: Bool { !trigger.after.isEmpty }

    /// `immediate`: a reactive trigger with no period fires on every event.
    var isImmediate: Bool { posture == .reactive && within == 0 }

    /// The patterns by which `find_interested_triggers` looks the trigger up: any event when it
    /// expects nothing, otherwise its `expect` and `after` patterns.
    var indexPatterns: [String] {
        trigger.expect.isEmpty ? ["*"] : trigger.expect + trigger.after
    }

    /// `covers`: the event's name fits the trigger's pattern and its resources the `match`
    /// and every `match_related` specification.
    func covers(_ event: Event) -> Bool {
        if !trigger.expect.isEmpty, !LabelPattern.prefixMatches(event.event, anyOf: trigger.expect + trigger.after) {
            return false
        }
        guard LabelPattern.includes(trigger.match, [event.resource]) else { return false }
        let related: [ResourceSpecification] = switch trigger.matchRelated {
        case .one(let specification): [specification]
        case .many(let specifications): specifications
        }
        return related.allSatisfy { LabelPattern.includes($0, event.related) }
    }

    /// `starts_after`: false when the trigger has no `after`.
    func startsAfter(_ name: String) -> Bool {
        trigger.after.contains { LabelPattern.matches($0, name) }
    }

    /// `expects`: true when the trigger expects anything.
    func expects(_ name: String) -> Bool {
        trigger.expect.isEmpty || trigger.expect.contains { LabelPattern.matches($0, name) }
    }

    /// `bucketing_key`: the event's value of each `for_each` label, labels sorted, `""` when
    /// missing.
    func bucketingKey(_ event: Event) -> [String] {
        trigger.forEach.sorted().map { event.resourceLabel($0) ?? "" }
    }

    /// `meets_threshold`: reactive at or above it, proactive below it.
    func meetsThreshold(_ count: Int) -> Bool {
        switch posture {
        case .reactive: count >= threshold
        case .proactive: count < threshold
        default: false
        }
    }

    /// `holds_expect_events`: a proactive trigger with `after` holds its `expect`-only events.
    var holdsExpectEvents: Bool { posture == .proactive && hasAfter }

    /// The labels of a firing: each sorted `for_each` label with the bucket's value.
    func triggeringLabels(_ bucketingKey: [String]) -> JSONObject {
        JSONObject(zip(trigger.forEach.sorted(), bucketingKey).map { ($0.0, JSONValue.string($0.1)) })
    }
}

extension Event {
    /// `find_resource_label`: `related:<role>:<label>` is the label of the first related
    /// resource in that role; any other label is the resource's own.
    func resourceLabel(_ label: String) -> String? {
        if let colon = label.lastIndex(of: ":") {
            let directive = label[..<colon]
            let relatedLabel = String(label[label.index(after: colon)...])
            let parts = directive.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first == "related" {
                let role = parts.count > 1 ? String(parts[1]) : ""
                for resource in related where resource.role == role {
                    return resource.labels[relatedLabel]
                }
            }
        }
        return resource.labels[label]
    }
}
