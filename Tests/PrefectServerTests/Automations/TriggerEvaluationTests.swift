import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// Prefect's trigger evaluation (`prefect/server/events/triggers.py`), case by case as its own
/// tests exercise it (`tests/events/server/triggers/`), on a real database at chosen times.
@Suite("Automations: how triggers count events and fire")
struct TriggerEvaluationTests {
    let clock = Clock()

    @Test("an immediate reactive trigger fires on every event it expects, and on nothing else")
    func immediate() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(app, client, trigger: .event(eventTrigger(expect: ["a.b"])))
            #expect(try await harness.event("a.b", at: clock[0]).count == 1)
            #expect(try await harness.event("a.b", at: clock[1]).count == 1)
            #expect(try await harness.event("a.c", at: clock[2]).isEmpty)
            #expect(try await harness.triggeredEvents().count == 2)
        }
    }

    @Test("a threshold within a period fires once it is met, then waits for the period to end")
    func thresholdWithin() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(
                app, client, trigger: .event(eventTrigger(expect: ["ping"], threshold: 2, within: 60)))
            #expect(try await harness.event("ping", at: clock[0]).isEmpty)
            let fired = try await harness.event("ping", at: clock[10])
            #expect(fired.count == 1)
            #expect(try await harness.event("ping", at: clock[20]).isEmpty, "inside the period that already fired")
            #expect(try await harness.event("ping", at: clock[30]).isEmpty)
            #expect(try await harness.event("ping", at: clock[71]).isEmpty, "the next period starts where the last one ended")
            #expect(try await harness.event("ping", at: clock[72]).count == 1)
        }
    }

    @Test("for_each keeps one bucket per label value, and the firing carries the labels")
    func forEach() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(
                app, client, trigger: .event(eventTrigger(expect: ["ping"], forEach: ["prefect.resource.id"], threshold: 2, within: 60)))
            #expect(try await harness.event("ping", resource: "svc.a", at: clock[0]).isEmpty)
            #expect(try await harness.event("ping", resource: "svc.b", at: clock[1]).isEmpty)
            let fired = try await harness.event("ping", resource: "svc.a", at: clock[2])
            #expect(fired.count == 1)
            #expect(fired.first?.triggeringLabels == ["prefect.resource.id": "svc.a"])
            let triggered = try #require(try await harness.triggeredEvents().first)
            #expect(triggered["payload"]?["triggering_labels"] == ["prefect.resource.id": "svc.a"])
            #expect(triggered["payload"]?["triggering_event"]?["resource"]?["prefect.resource.id"] == "svc.a")
            #expect(triggered["resource"]?["prefect.posture"] == "Reactive")
        }
    }

    @Test("match and match_related select the events a trigger sees, with globs and negation")
    func matching() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(app, client, trigger: .event(EventTrigger(
                match: ["prefect.resource.id": "!svc.skip*"],
                matchRelated: .one(["prefect.resource.role": "flow"]), expect: ["ping"])))
            let flow: EventResource = ["prefect.resource.id": "prefect.flow.1", "prefect.resource.role": "flow"]
            #expect(try await harness.event("ping", resource: "svc.a", related: [flow], at: clock[0]).isEmpty == false)
            #expect(try await harness.event("ping", resource: "svc.a", at: clock[1]).isEmpty, "no related flow")
            #expect(try await harness.event("ping", resource: "svc.skip.1", related: [flow], at: clock[2]).isEmpty)
        }
    }

    @Test("a reactive trigger with after counts only what follows its starting event")
    func afterThenExpect() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(
                app, client, trigger: .event(eventTrigger(expect: ["end"], after: ["start"], within: 60)))
            #expect(try await harness.event("end", at: clock[0]).isEmpty, "nothing started")
            #expect(try await harness.event("start", at: clock[1]).isEmpty)
            #expect(try await harness.event("end", at: clock[2]).count == 1)
            #expect(try await harness.event("end", at: clock[3]).isEmpty, "the bucket went with the firing")
        }
    }

    @Test("a proactive trigger fires when its period ends short of the threshold, not before")
    func proactive() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(
                app, client, trigger: .event(eventTrigger(expect: ["ping"], posture: .proactive, threshold: 1, within: 10)))
            let first = try await harness.proact(asOf: clock[0])
            #expect(first.actions.isEmpty)
            #expect(first.next == clock[10])
            #expect(try await harness.proact(asOf: clock[10]).actions.count == 1, "nothing came in the period")
            #expect(try await harness.event("ping", at: clock[12]).isEmpty)
            #expect(try await harness.proact(asOf: clock[20]).actions.isEmpty, "an event came in the period")
            let triggered = try await harness.triggeredEvents()
            #expect(triggered.first?["resource"]?["prefect.posture"] == "Proactive")
            #expect(triggered.first?["payload"]?["triggering_event"] == .null)
        }
    }

    @Test("the heartbeat automation: each heartbeat restarts the window, a final state closes it, silence fires")
    func heartbeats() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(app, client, trigger: .event(eventTrigger(
                expect: ["prefect.flow-run.heartbeat", "prefect.flow-run.Completed"], after: ["prefect.flow-run.heartbeat"],
                match: ["prefect.resource.id": "prefect.flow-run.*"], forEach: ["prefect.resource.id"], posture: .proactive,
                threshold: 1, within: 10)))
            let zombie = "prefect.flow-run.1", finished = "prefect.flow-run.2"
            try await harness.event("prefect.flow-run.heartbeat", resource: zombie, at: clock[0])
            try await harness.event("prefect.flow-run.heartbeat", resource: finished, at: clock[0])
            try await harness.event("prefect.flow-run.heartbeat", resource: zombie, at: clock[5])
            try await harness.event("prefect.flow-run.heartbeat", resource: finished, at: clock[5])
            try await harness.event("prefect.flow-run.Completed", resource: finished, at: clock[6])
            #expect(try await harness.proact(asOf: clock[12]).actions.isEmpty, "the zombie's window now ends at 15")
            let fired = try await harness.proact(asOf: clock[16]).actions
            #expect(fired.map { $0.triggeringLabels["prefect.resource.id"] } == [.string(zombie)])
            #expect(fired.first?.triggeringEvent?["occurred"] == .string(PrefectDate.format(clock[5])), "the last heartbeat")
        }
    }

    @Test("a final state evaluated before the heartbeat it raced is held and still counts")
    func heldExpectEvent() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(app, client, trigger: .event(eventTrigger(
                expect: ["prefect.flow-run.heartbeat", "prefect.flow-run.Completed"], after: ["prefect.flow-run.heartbeat"],
                forEach: ["prefect.resource.id"], posture: .proactive, threshold: 1, within: 10)))
            try await harness.event("prefect.flow-run.Completed", resource: "run", at: clock[1])
            try await harness.event("prefect.flow-run.heartbeat", resource: "run", at: clock[0])
            #expect(try await harness.proact(asOf: clock[20]).actions.isEmpty)
        }
    }

    @Test("a compound trigger fires once every child fired within its period")
    func compound() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(app, client, trigger: .compound(CompoundTrigger(
                triggers: [.event(eventTrigger(expect: ["left"])), .event(eventTrigger(expect: ["right"]))], within: 60,
                require: .all)))
            #expect(try await harness.event("left", at: clock[0]).isEmpty)
            #expect(try await harness.event("left", at: clock[1]).isEmpty, "the same child again")
            let fired = try await harness.event("right", at: clock[2])
            #expect(fired.count == 1)
            #expect(fired.first?.firing.triggeringFirings.count == 2)
            #expect(try await harness.event("right", at: clock[3]).isEmpty, "the children's firings were spent")
            let triggered = try #require(try await harness.triggeredEvents().first)
            #expect(triggered["resource"]?["prefect.posture"] == nil, "a compound trigger has no posture")
        }
    }

    @Test("a sequence trigger fires only when its children fire in order")
    func sequence() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(app, client, trigger: .sequence(SequenceTrigger(
                triggers: [.event(eventTrigger(expect: ["first"])), .event(eventTrigger(expect: ["second"]))], within: 60)))
            #expect(try await harness.event("second", at: clock[0], wallNow: clock[0]).isEmpty)
            #expect(try await harness.event("first", at: clock[1], wallNow: clock[1]).isEmpty, "out of order")
            #expect(try await harness.event("second", at: clock[2], wallNow: clock[2]).count == 1)
        }
    }

    @Test("a firing asks for actions, then actions on trigger on the automation's own triggered event")
    func actionOrder() async throws {
        try await withTestApp { app, client in
            let harness = try await TriggerHarness.make(
                app, client, trigger: .event(eventTrigger(expect: ["go"])), actions: [.doNothing, .cancelFlowRun],
                actionsOnTrigger: [.doNothing])
            let asked = try await harness.event("go", at: clock[0])
            #expect(asked.map(\.actionIndex) == [0, 1, 2])
            #expect(asked.map(\.action.type) == ["do-nothing", "cancel-flow-run", "do-nothing"])
            #expect(asked[0].triggeringEvent?["event"] == "go")
            #expect(asked[2].triggeringEvent?["event"] == "prefect.automation.triggered")
            #expect(Set(asked.map(\.automationTriggeredEventID)).count == 1)
        }
    }
}
