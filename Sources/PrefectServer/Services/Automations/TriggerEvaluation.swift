import Foundation
import GRDB
import PrefectSchemas

/// An event the triggers service evaluates: the event, and its stored body (a `ReceivedEvent`
/// as the API answers it), which firings carry.
struct TriggerEvent: Sendable {
    let event: Event
    let json: JSONValue
}

/// One evaluation inside one write (Prefect's `evaluate`, `fire`, `evaluate_composite_trigger`
/// and `act`, `prefect/server/events/triggers.py`): buckets count events and fire; a firing
/// climbs the composite triggers above it; a firing that reaches the automation stores its
/// `prefect.automation.triggered` event and asks for the automation's actions, which the
/// caller hands to the actions service once the write has committed.
struct TriggerEvaluation {
    let db: Database
    let automation: LoadedAutomation
    let trigger: ArmedTrigger
    /// The wall clock: when firings happen.
    let wallNow: Date
    /// The actions this evaluation asked for.
    private(set) var actions: [TriggeredAction] = []

    init(_ db: Database, automation: LoadedAutomation, trigger: ArmedTrigger, wallNow: Date) {
        self.db = db
        self.automation = automation
        self.trigger = trigger
        self.wallNow = wallNow
    }

    /// Whether the automation is still stored: one deleted since the service loaded it is not
    /// evaluated (its buckets went with it).
    private func automationExists() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM automation WHERE id = ?", arguments: [automation.id.prefectString]) ?? false
    }

    /// `reactive_evaluation` for one interested trigger.
    mutating func react(to event: TriggerEvent) throws {
        guard try automationExists() else { return }
        let name = event.event.event
        let occurred = event.event.occurred
        let key = trigger.bucketingKey(event.event)
        var bucket: AutomationBucket?
        if trigger.hasAfter, trigger.startsAfter(name) {
            // An event both `after` and `expect` starts its bucket at -1, so that it ends at 0
            // once it has been counted in it.
            bucket = try AutomationBuckets.ensure(
                db, trigger, key: key, start: occurred, end: occurred.addingTimeInterval(trigger.within), lastEvent: event.json,
                initialCount: trigger.expects(name) ? -1 : 0, now: wallNow)
        }
        if bucket == nil, !trigger.hasAfter, trigger.expects(name) {
            // A first bucket reaches back one lookback, for events evaluated out of order.
            bucket = try AutomationBuckets.ensure(
                db, trigger, key: key, start: occurred.addingTimeInterval(-TriggerEvaluation.precedingEventLookback),
                end: occurred.addingTimeInterval(trigger.within), lastEvent: event.json, now: wallNow)
        }
        guard trigger.expects(name) else { return }
        if bucket == nil {
            if trigger.holdsExpectEvents {
                bucket = try holdExpectEvent(key: key, event)
            } else {
                bucket = try AutomationBuckets.read(db, trigger, key: key)
            }
        }
        guard let bucket else { return }
        _ = try evaluate(bucket, now: occurred, triggeringEvent: event)
    }

    /// `proactive_evaluation`: the trigger's buckets evaluated as of `asOf` without an event;
    /// answers when to evaluate it again.
    mutating func proact(asOf: Date) throws -> Date {
        var runAgainAt = asOf.addingTimeInterval(trigger.within)
        guard try automationExists() else { return runAgainAt }
        if trigger.trigger.forEach.isEmpty {
            _ = try AutomationBuckets.ensure(
                db, trigger, key: [], start: asOf, end: asOf.addingTimeInterval(trigger.within), lastEvent: nil, now: wallNow)
        }
        try AutomationBuckets.removeExceedingThreshold(db, trigger)
        for bucket in try AutomationBuckets.all(db, trigger) {
            if let next = try evaluate(bucket, now: asOf, triggeringEvent: nil), asOf < next.end, next.end < runAgainAt {
                runAgainAt = next.end
            }
        }
        return runAgainAt
    }

    /// `PRECEDING_EVENT_LOOKBACK`.
    static let precedingEventLookback: TimeInterval = 15 * 60

    /// `hold_expect_event`: nil when the event was already held (it has been counted);
    /// otherwise holds it and answers the key's current bucket.
    private func holdExpectEvent(key: [String], _ event: TriggerEvent) throws -> AutomationBucket? {
        if try AutomationBuckets.isHeld(db, trigger, key: key, eventID: event.event.id) { return nil }
        try AutomationBuckets.hold(db, trigger, key: key, eventID: event.event.id, occurred: event.event.occurred, now: wallNow)
        return try AutomationBuckets.read(db, trigger, key: key)
    }

    /// `evaluate`: spends the event's count in the open bucket, fires when the bucket is ready
    /// and meets the threshold, and opens the next window. Answers the bucket now open, if any.
    private mutating func evaluate(_ start: AutomationBucket, now: Date, triggeringEvent: TriggerEvent?) throws -> AutomationBucket? {
        var bucket = start
        var count = triggeringEvent == nil ? 0 : 1
        // A late event, or one for a reactive trigger that already fired: it changes nothing.
        if now < bucket.start { return bucket }
        let previousLastEvent = bucket.lastEvent
        if count > 0, trigger.isImmediate || (bucket.start <= now && now < bucket.end) {
            bucket = try AutomationBuckets.increment(db, bucket, by: count, lastEvent: triggeringEvent?.json, now: wallNow)
            count = 0
        }
        let readyToFire = trigger.posture == .reactive || bucket.end <= now
        let meetsThreshold = trigger.meetsThreshold(bucket.count)
        if readyToFire, meetsThreshold {
            let firing = Firing(
                triggerID: trigger.id, triggered: wallNow, triggeringLabels: trigger.triggeringLabels(bucket.key),
                triggeringEvent: triggeringEvent?.json ?? bucket.lastEvent)
            try fire(firing, ancestors: trigger.ancestors)
            try AutomationBuckets.remove(db, bucket)
        } else if now < bucket.end {
            // A proactive trigger whose `after` and `expect` share the event (heartbeats): the
            // event restarts the window from itself.
            if let event = triggeringEvent, trigger.posture == .proactive, !meetsThreshold,
               trigger.startsAfter(event.event.event), trigger.expects(event.event.event) {
                try AutomationBuckets.remove(db, bucket)
                var lastEvent = event.json
                if let previous = previousLastEvent, let previousName = previous["event"]?.stringValue,
                   let previousOccurred = previous["occurred"]?.stringValue.flatMap(PrefectDate.parse),
                   trigger.expects(previousName), !trigger.startsAfter(previousName), previousOccurred >= event.event.occurred {
                    lastEvent = previous
                }
                return try AutomationBuckets.startNew(
                    db, trigger, key: bucket.key, start: event.event.occurred,
                    end: event.event.occurred.addingTimeInterval(trigger.within), count: 0, lastEvent: lastEvent, now: wallNow)
            }
            return bucket
        }
        if trigger.hasAfter {
            try AutomationBuckets.remove(db, bucket)
            return nil
        }
        guard trigger.within > 0 else { return nil }
        let nextStart = max(bucket.end, now)
        let nextEnd = nextStart.addingTimeInterval(trigger.within)
        if trigger.posture == .reactive, count > 0 {
            // The event belongs to a later window: it may fire that one at once.
            let next = try AutomationBuckets.startNew(db, trigger, key: bucket.key, start: nextStart, end: nextEnd, count: 0, now: wallNow)
            return try evaluate(next, now: now, triggeringEvent: triggeringEvent)
        }
        return try AutomationBuckets.startNew(db, trigger, key: bucket.key, start: nextStart, end: nextEnd, count: count, now: wallNow)
    }

    /// `fire`: the automation acts when the firing trigger is its own; otherwise the composite
    /// trigger above it evaluates the firing.
    private mutating func fire(_ firing: Firing, ancestors: [CompositeTriggerNode]) throws {
        guard let parent = ancestors.last else {
            try act(firing)
            return
        }
        let above = Array(ancestors.dropLast())
        if parent.expectedFirings == 1 {
            try fire(
                Firing(triggerID: parent.id, triggered: wallNow, triggeringFirings: [firing], triggeringEvent: firing.triggeringEvent),
                ancestors: above)
            return
        }
        if let within = parent.within {
            try AutomationBuckets.clearChildFirings(
                db, automationID: automation.id, parentID: parent.id, firedBefore: firing.triggered.addingTimeInterval(-within))
        }
        try AutomationBuckets.upsertChildFiring(db, automationID: automation.id, parentID: parent.id, firing)
        let firings = try AutomationBuckets.childFirings(db, automationID: automation.id, parent)
        let ids = Set(firings.map(\.id))
        guard ids.contains(firing.id), parent.readyToFire(firings) else { return }
        let deleted = try AutomationBuckets.clearChildFirings(db, automationID: automation.id, parentID: parent.id, ids: Array(ids))
        guard deleted == ids else { return }
        try fire(
            Firing(triggerID: parent.id, triggered: wallNow, triggeringFirings: firings, triggeringEvent: firing.triggeringEvent),
            ancestors: above)
    }

    /// `act`: stores `prefect.automation.triggered` and asks for `actions` (on the firing's
    /// event) and `actions_on_trigger` (on the triggered event itself), numbered in that order.
    private mutating func act(_ firing: Firing) throws {
        let triggered = AutomationEvents.triggered(automation, firing)
        try ServerEvents.emit(db, triggered)
        let triggeredJSON = try PrefectJSON.decode(
            JSONValue.self, from: ServerJSON.encode(ReceivedEvent(triggered, received: StoredTime.truncated(wallNow))))
        let sources = automation.actions.map { (firing.triggeringEvent, $0) }
            + automation.actionsOnTrigger.map { (Optional(triggeredJSON), $0) }
        for (index, (event, action)) in sources.enumerated() {
            actions.append(TriggeredAction(
                id: .version7(at: wallNow), automation: automation, firing: firing, triggered: firing.triggered,
                triggeringLabels: firing.triggeringLabels, triggeringEvent: event, action: action, actionIndex: index,
                automationTriggeredEventID: triggered.id))
        }
    }
}
