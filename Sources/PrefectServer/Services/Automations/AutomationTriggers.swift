import Foundation
import GRDB
import Logging
import PrefectSchemas
import ServiceLifecycle

/// Prefect's triggers service (`ReactiveTriggers` and `evaluate_proactive_triggers_periodic`,
/// `prefect/server/events/services/triggers.py` and `triggers.py`): every event stored after
/// it starts, from clients and from the server itself, is evaluated against the enabled
/// automations' event triggers as it commits, in the order stored; proactive triggers and the
/// clean-up of buckets and held events run every `proactiveGranularity` seconds. Automations
/// are reloaded whenever one is created, changed or deleted. The actions firings ask for go to
/// ``AutomationActions``.
///
/// Events are read from the events table after a cursor, so a burst of events is never
/// dropped; the event feed only wakes the service (a doorbell, no id lookups).
struct AutomationTriggers: Service {
    let database: PrefectDatabase
    let actions: AsyncStream<TriggeredAction>.Continuation
    let proactiveGranularity: TimeInterval
    let expiredBucketBuffer: TimeInterval
    let logger: Logger

    /// Events read per transaction.
    private static let batch = 200

    func run() async throws {
        let doorbell = Doorbell()
        database.eventFeed.wake(doorbell)
        let cursor = try await database.pool.read { try Int64.fetchOne($0, sql: "SELECT MAX(rowid) FROM events") } ?? 0
        do {
            try await cancelWhenGracefulShutdown {
                var state = AutomationTriggerState()
                state.cursor = cursor
                try await loop(&state, doorbell: doorbell)
            }
        } catch is CancellationError {
            return
        }
    }

    private func loop(_ state: inout AutomationTriggerState, doorbell: Doorbell) async throws {
        var nextPeriodic = Date()
        while !Task.isCancelled {
            do {
                while try await evaluateStoredEvents(&state) {}
            } catch is CancellationError {
                return
            } catch {
                logger.error("automation triggers: evaluating events failed", metadata: ["error": "\(error)"])
            }
            if Date() >= nextPeriodic {
                await periodic(&state)
                nextPeriodic = Date().addingTimeInterval(proactiveGranularity)
            }
            await doorbell.wait(atMost: .wait(seconds: max(0.01, min(1, nextPeriodic.timeIntervalSinceNow))))
        }
    }

    /// `reconcile_automations`: reloads every automation, once their latest update or their
    /// number (`snapshot`) changed; an automation whose stored body cannot be read is skipped
    /// and logged.
    private func reload(_ state: inout AutomationTriggerState, snapshot: AutomationTriggerState.Snapshot?) async throws {
        let bodies = try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, body FROM automation ORDER BY rowid").map { ($0["id"] as String, $0["body"] as Data) }
        }
        var loaded: [LoadedAutomation] = []
        for (id, body) in bodies {
            do {
                guard case .object(let members) = try PrefectJSON.decode(JSONValue.self, from: body),
                      let automation = try LoadedAutomation(body: members) else { continue }
                loaded.append(automation)
            } catch {
                logger.warning("automation triggers: skipping an automation that cannot be read", metadata: ["automation": "\(id)", "error": "\(error)"])
            }
        }
        state.load(loaded)
        state.snapshot = snapshot
    }

    /// What tells whether the automations changed: their latest update and their number.
    private static func automationsSnapshot(_ db: Database) throws -> AutomationTriggerState.Snapshot? {
        try Row.fetchOne(db, sql: "SELECT MAX(updated) AS updated, COUNT(*) AS count FROM automation")
            .map { AutomationTriggerState.Snapshot(updated: $0["updated"], count: $0["count"]) }
    }

    /// Evaluates the next batch of stored events; true when there may be more.
    ///
    /// The batch and the automations' snapshot are read together, so an automation stored before
    /// an event of the batch is loaded before that event is evaluated, however close they came;
    /// the first call loads them all.
    private func evaluateStoredEvents(_ state: inout AutomationTriggerState) async throws -> Bool {
        let cursor = state.cursor
        let (rows, snapshot) = try await database.pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid, event, body FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?", arguments: [cursor, Self.batch]
            ).map { (rowid: $0["rowid"] as Int64, name: $0["event"] as String, body: $0["body"] as Data) }
            return (rows, try Self.automationsSnapshot(db))
        }
        if snapshot != state.snapshot { try await reload(&state, snapshot: snapshot) }
        for row in rows {
            state.cursor = row.rowid
            guard row.name != "prefect.log.write", !state.automations.isEmpty else { continue }
            let event: TriggerEvent
            do {
                let json = try PrefectJSON.decode(JSONValue.self, from: row.body)
                event = TriggerEvent(event: try PrefectJSON.decode(ReceivedEvent.self, from: row.body).event, json: json)
            } catch {
                logger.warning("automation triggers: skipping a stored event that cannot be read", metadata: ["rowid": "\(row.rowid)"])
                continue
            }
            state.clock.observe(event.event.occurred)
            for (automation, trigger) in state.interested(in: event.event) {
                let wallNow = Date()
                do {
                    let asked = try await database.pool.write { db in
                        var evaluation = TriggerEvaluation(db, automation: automation, trigger: trigger, wallNow: wallNow)
                        try evaluation.react(to: event)
                        return evaluation.actions
                    }
                    for action in asked { actions.yield(action) }
                } catch {
                    logger.error(
                        "automation triggers: evaluating an event failed",
                        metadata: ["automation": "\(automation.id)", "event": "\(event.event.id)", "error": "\(error)"])
                }
            }
        }
        return rows.count == Self.batch
    }

    /// `periodic_evaluation` and `evaluate_proactive_triggers`.
    private func periodic(_ state: inout AutomationTriggerState) async {
        let now = Date()
        let asOf = now.addingTimeInterval(state.clock.offset(now: now))
        let buffer = expiredBucketBuffer
        do {
            try await database.pool.write { db in
                try AutomationBuckets.sweepHeld(db, now: now)
                try AutomationBuckets.sweepClosed(db, olderThan: asOf.addingTimeInterval(-buffer))
            }
        } catch {
            logger.error("automation triggers: sweeping buckets failed", metadata: ["error": "\(error)"])
        }
        for (automation, trigger) in state.proactiveTriggers() {
            let wallNow = Date()
            if let next = state.nextProactiveRuns[trigger.id], next > wallNow { continue }
            let asOf = wallNow.addingTimeInterval(state.clock.offset(now: wallNow))
            do {
                let (runAgainAt, asked) = try await database.pool.write { db in
                    var evaluation = TriggerEvaluation(db, automation: automation, trigger: trigger, wallNow: wallNow)
                    let next = try evaluation.proact(asOf: asOf)
                    return (next, evaluation.actions)
                }
                state.nextProactiveRuns[trigger.id] = runAgainAt
                for action in asked { actions.yield(action) }
            } catch {
                logger.error(
                    "automation triggers: evaluating a proactive trigger failed",
                    metadata: ["automation": "\(automation.id)", "trigger": "\(trigger.id)", "error": "\(error)"])
            }
        }
    }
}

/// What the triggers service holds between events: the loaded automations, their event
/// triggers indexed by pattern, when each proactive trigger runs next, the events clock, and
/// the last event read.
struct AutomationTriggerState {
    struct Snapshot: Equatable {
        var updated: Int64?
        var count: Int
    }

    var automations: [UUID: LoadedAutomation] = [:]
    private var triggers: [UUID: ArmedTrigger] = [:]
    private var triggersByPattern: [String: [UUID]] = [:]
    /// Load order, so evaluations run in a stable order.
    private var order: [UUID] = []
    var nextProactiveRuns: [UUID: Date] = [:]
    var snapshot: Snapshot?
    var clock = EventsClock()
    var cursor: Int64 = 0

    /// `clear_loaded_automations` then `load_automation` for each.
    mutating func load(_ loaded: [LoadedAutomation]) {
        automations = [:]
        triggers = [:]
        triggersByPattern = [:]
        order = []
        nextProactiveRuns = [:]
        for automation in loaded {
            automations[automation.id] = automation
            for trigger in automation.eventTriggers {
                triggers[trigger.id] = trigger
                order.append(trigger.id)
                for pattern in Set(trigger.indexPatterns) { triggersByPattern[pattern, default: []].append(trigger.id) }
            }
        }
    }

    /// `find_interested_triggers`: the triggers one of whose patterns the event's name fits and
    /// that cover the event.
    func interested(in event: Event) -> [(LoadedAutomation, ArmedTrigger)] {
        var candidates: Set<UUID> = []
        for (pattern, ids) in triggersByPattern where LabelPattern.fnmatch(event.event, pattern) {
            candidates.formUnion(ids)
        }
        return order.filter(candidates.contains).compactMap { id in
            guard let trigger = triggers[id], trigger.covers(event), let automation = automations[trigger.automationID] else { return nil }
            return (automation, trigger)
        }
    }

    func proactiveTriggers() -> [(LoadedAutomation, ArmedTrigger)] {
        order.compactMap { id in
            guard let trigger = triggers[id], trigger.posture == .proactive, let automation = automations[trigger.automationID] else {
                return nil
            }
            return (automation, trigger)
        }
    }
}

/// Prefect's events clock (`update_events_clock`, `get_events_clock_offset`): how far behind
/// real time the events being evaluated are, so that proactive triggers judge windows by the
/// events' time and not by a clock that ran ahead of them.
struct EventsClock {
    private var latest: Date?
    private var updated: Date?

    mutating func observe(_ occurred: Date, now: Date = Date()) {
        let clamped = min(occurred, now)
        if latest.map({ clamped >= $0 }) ?? true { latest = clamped }
        updated = now
    }

    /// Seconds to add to now (never positive); 0 before any event.
    func offset(now: Date) -> TimeInterval {
        guard let latest, let updated else { return 0 }
        return (latest.timeIntervalSince(now)) + (now.timeIntervalSince(updated))
    }
}
