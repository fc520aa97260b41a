import Foundation
import PrefectClient
import Testing

/// Automations that act, on the servers that run Prefect's triggers and actions services
/// (stock Prefect and `prefect-swift server start`; the in-process test server runs no
/// services).
@Suite("Automations act on every server with services")
struct AutomationRunsIntegrationTests {
    static var servers: [ServerUnderTest] { ServerUnderTest.available.filter { $0 != .embedded } }

    @Test("a custom event pauses a deployment, and the automation says so in its events", arguments: servers)
    func pauseOnCustomEvent(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let name = IntegrationServer.uniqueName("pause-on-event")
            let flowID = try await client.createFlowFromName(name)
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "paused-by-automation")
            let automationID = try await client.createAutomation(AutomationCore(
                name: name,
                trigger: .event(EventTrigger(match: ["prefect.resource.id": .string("service.\(name)")], expect: ["\(name).down"])),
                actions: [.pauseDeployment(.selected(deploymentID))]))
            // Both servers load an automation once its write commits; a moment is plenty.
            try await Task.sleep(for: .seconds(1))
            let event = Event(event: "\(name).down", resource: ["prefect.resource.id": "service.\(name)"])
            try await client.emitEvents([event])

            var paused = false
            for _ in 0..<100 where !paused {
                try await Task.sleep(for: .milliseconds(200))
                paused = try await client.readDeployment(deploymentID: deploymentID).paused
            }
            #expect(paused, "the deployment was paused within 20 s")

            let automation = "prefect.automation.\(automationID.uuidString.lowercased())"
            let filter = EventFilter(
                event: EventFilter.Name(prefix: ["prefect.automation.triggered", "prefect.automation.action."]),
                resource: EventFilter.Resources(id: [automation]), order: .ascending)
            var page = try await client.readEvents(filter: filter)
            for _ in 0..<80 where page.total < 3 {
                try await Task.sleep(for: .milliseconds(250))
                page = try await client.readEvents(filter: filter)
            }
            #expect(page.events.map(\.event.event).sorted() == [
                "prefect.automation.action.executed", "prefect.automation.action.triggered", "prefect.automation.triggered",
            ])
            let triggered = try #require(page.events.first { $0.event.event == "prefect.automation.triggered" })
            #expect(triggered.related.map(\.id) == ["prefect.event.\(event.id.uuidString.lowercased())"])
            #expect(triggered.payload["triggering_event"]?["event"] == .string("\(name).down"))
            let executed = try #require(page.events.first { $0.event.event == "prefect.automation.action.executed" })
            #expect(executed.payload["action_type"] == "pause-deployment")
            #expect(executed.payload["status_code"] == 200)
            #expect(executed.related.first?.labels == [
                "prefect.resource.id": "prefect.deployment.\(deploymentID.uuidString.lowercased())", "prefect.resource.role": "target",
            ])
            #expect(executed.resource.labels["prefect.trigger-type"] == "event")
            try await client.deleteAutomation(automationID: automationID)
        }
    }
}
