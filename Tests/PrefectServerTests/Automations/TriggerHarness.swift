import Foundation
import GRDB
import PrefectClient
import PrefectSchemas
@testable import PrefectServer

/// One automation on a real database, evaluated directly: events and proactive passes at the
/// times a test chooses, answering the actions each evaluation asked for.
struct TriggerHarness {
    let database: PrefectDatabase
    let automation: LoadedAutomation

    /// Creates the automation through the API (ids as the server gives them) and loads it.
    static func make(_ app: PrefectServerApp, _ client: PrefectClient, trigger: AutomationTrigger,
                     actions: [AutomationAction] = [.doNothing], actionsOnTrigger: [AutomationAction] = []) async throws -> TriggerHarness {
        let id = try await client.createAutomation(
            AutomationCore(name: "harness", trigger: trigger, actions: actions, actionsOnTrigger: actionsOnTrigger))
        let body = try await app.database.pool.read { try AutomationStore.read($0, id: id) }
        guard case .object(let members)? = body, let automation = try LoadedAutomation(body: members) else {
            throw HarnessError.notLoaded
        }
        return TriggerHarness(database: app.database, automation: automation)
    }

    enum HarnessError: Error {
        case notLoaded
    }

    /// The automation's first event trigger, or the one at `index`.
    func trigger(_ index: Int = 0) -> ArmedTrigger {
        automation.eventTriggers[index]
    }

    /// Evaluates `name` on `resource`, occurred at `occurred`, against every interested trigger
    /// of the automation, as the triggers service does; answers the actions asked for.
    @discardableResult
    func event(
        _ name: String, resource: String = "my.resource", related: [EventResource] = [], at occurred: Date, wallNow: Date? = nil
    ) async throws -> [TriggeredAction] {
        let event = Event(event: name, resource: ["prefect.resource.id": resource], occurred: occurred, related: related)
        let json = try PrefectJSON.decode(JSONValue.self, from: ServerJSON.encode(ReceivedEvent(event, received: occurred)))
        var state = AutomationTriggerState()
        state.load([automation])
        var asked: [TriggeredAction] = []
        for (automation, trigger) in state.interested(in: event) {
            asked += try await database.pool.write { db in
                var evaluation = TriggerEvaluation(db, automation: automation, trigger: trigger, wallNow: wallNow ?? occurred)
                try evaluation.react(to: TriggerEvent(event: event, json: json))
                return evaluation.actions
            }
        }
        return asked
    }

    /// A proactive pass of trigger `index` as of `asOf`: the actions asked for and when it runs next.
    func proact(_ index: Int = 0, asOf: Date) async throws -> (actions: [TriggeredAction], next: Date) {
        let trigger = trigger(index)
        let automation = automation
        return try await database.pool.write { db in
            var evaluation = TriggerEvaluation(db, automation: automation, trigger: trigger, wallNow: asOf)
            let next = try evaluation.proact(asOf: asOf)
            return (evaluation.actions, next)
        }
    }

    /// The stored `prefect.automation.triggered` events of the automation.
    func triggeredEvents() async throws -> [JSONValue] {
        let resource = "prefect.automation.\(automation.id.prefectString)"
        return try await database.pool.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM events WHERE event = 'prefect.automation.triggered' AND resource_id = ? ORDER BY rowid",
                arguments: [resource]
            ).map { try PrefectJSON.decode(JSONValue.self, from: $0) }
        }
    }
}

/// A fixed instant and offsets from it, for readable event times.
struct Clock {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    subscript(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }
}

func eventTrigger(
    expect: [String] = [], after: [String] = [], match: ResourceSpecification = [:], forEach: [String] = [],
    posture: Posture = .reactive, threshold: Int = 1, within: Double = 0
) -> EventTrigger {
    EventTrigger(match: match, after: after, expect: expect, forEach: forEach, posture: posture, threshold: threshold, within: within)
}
