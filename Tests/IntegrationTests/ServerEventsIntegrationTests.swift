import Foundation
import PrefectClient
import Testing

/// The events a server makes of its own (Prefect's `InstrumentFlowRunStateTransitions`), the
/// same on the stock server and ours.
@Suite("Server-made events on every server")
struct ServerEventsIntegrationTests {
    /// The run's state-change events, oldest first, once `count` of them are stored (Prefect
    /// stores events a moment after it makes them).
    private func stateEvents(_ client: PrefectClient, run: UUID, count: Int) async throws -> [ReceivedEvent] {
        try await settledEvents(client, resource: "prefect.flow-run.\(run.uuidString.lowercased())", count: count)
    }

    @Test("every state a flow run takes is an event: its name, resource, related flow and tags, payload, id and follows", arguments: ServerUnderTest.available)
    func flowRunStateChanges(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowName = IntegrationServer.uniqueName("state-events")
            let run = try await client.createFlowRun(flowName: flowName, name: "evented", tags: ["b", "a"])
            let aborted = try await client.setFlowRunState(flowRunID: run.id, state: .make(.pending))
            #expect(aborted.status == .abort, "a transition that writes nothing makes no event")
            let running = try await client.setFlowRunState(flowRunID: run.id, state: .make(.running, message: "go"))
            let completed = try await client.setFlowRunState(flowRunID: run.id, state: .make(.completed))
            let pendingID = try #require(run.state?.id)
            let ids = [pendingID, try #require(running.state?.id), try #require(completed.state?.id)]

            let events = try await stateEvents(client, run: run.id, count: 3)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await stateEvents(client, run: run.id, count: 3).count == 3, "three transitions wrote a state, three events")
            #expect(events.map(\.event.event) == ["prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.Completed"])
            #expect(events.map(\.id) == ids, "each event has its state's id")
            #expect(events.map(\.follows) == [nil, ids[0], ids[1]])
            #expect(events.map { $0.resource.labels["prefect.run-count"] } == ["0", "1", "1"])
            #expect(events.map { $0.resource.labels["prefect.state-message"] } == ["", "go", ""])
            #expect(events.map { $0.resource.labels["prefect.state-type"] } == ["PENDING", "RUNNING", "COMPLETED"])
            #expect(events.allSatisfy { $0.resource.name == "evented" })
            let stamp = try #require(events.last?.resource.labels["prefect.state-timestamp"])
            #expect(stamp.hasSuffix("+00:00"), "Python's isoformat: \(stamp)")
            #expect(events.map(\.occurred) == [run.state?.timestamp, running.state?.timestamp, completed.state?.timestamp])

            let flowID = try await client.readFlowByName(flowName).id
            let related = try #require(events.first?.related)
            #expect(related.map(\.labels) == [
                ["prefect.resource.id": "prefect.flow.\(flowID.uuidString.lowercased())", "prefect.resource.role": "flow", "prefect.resource.name": flowName],
                ["prefect.resource.id": "prefect.tag.a", "prefect.resource.role": "tag"],
                ["prefect.resource.id": "prefect.tag.b", "prefect.resource.role": "tag"],
            ])
            #expect(events[1].payload == [
                "intended": ["from": "PENDING", "to": "RUNNING"],
                "initial_state": ["type": "PENDING", "name": "Pending"],
                "validated_state": ["type": "RUNNING", "name": "Running", "message": "go"],
            ])
            #expect(events[0].payload["initial_state"] == .null)
        }
    }

    @Test("a subscriber of /events/out hears a run move to Cancelling, as Prefect's runner and workers listen for it",
          arguments: EventSocketsIntegrationTests.servers)
    func cancellingReachesSubscribers(server: ServerUnderTest) async throws {
        let url = try IntegrationServer.url(for: server)
        try await IntegrationServer.withClient(server) { client in
            let run = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("cancel-events"), state: .make(.running))
            let subscriber = try PrefectEventSubscriber(apiURL: url, filter: EventFilter(
                event: EventFilter.Name(name: ["prefect.flow-run.Cancelling"]),
                resource: EventFilter.Resources(id: ["prefect.flow-run.\(run.id.uuidString.lowercased())"])))
            let heard = Task { () -> ReceivedEvent? in
                for try await event in subscriber { return event }
                return nil
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(30))
                heard.cancel()
            }
            // The subscription is open once the socket has had its backfill; a second is plenty.
            try await Task.sleep(for: .seconds(1))
            let cancelling = try await client.setFlowRunState(flowRunID: run.id, state: .make(.cancelling))
            let event = try await heard.value
            deadline.cancel()
            #expect(event?.id == cancelling.state?.id)
            #expect(event?.payload["intended"] == ["from": "RUNNING", "to": "CANCELLING"])
        }
    }

    @Test("a flow and a variable announce their creation, update and deletion, with Prefect's payloads", arguments: ServerUnderTest.available)
    func lifecycleEvents(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowName = IntegrationServer.uniqueName("lifecycle")
            let flowID = try await client.createFlowFromName(flowName)
            _ = try await client.createFlowFromName(flowName)
            try await client.deleteFlow(flowID: flowID)
            let variableName = "lifecycle_\(UUID().uuidString.prefix(8).lowercased())"
            let variable = try await client.createVariable(VariableCreate(name: variableName, value: ["b": 1, "a": [true]], tags: ["t"]))
            try await client.updateVariable(VariableUpdate(name: variableName, value: "second"))
            try await client.deleteVariableByName(variableName)

            // Prefect emits these before its write commits: a write retried after a 503 (its
            // SQLite locked) is announced twice there, one after the other.
            let flowEvents = try await settledEvents(client, resource: "prefect.flow.\(flowID.uuidString.lowercased())", count: 2)
                .withoutRepeats()
            #expect(flowEvents.map(\.event.event) == ["prefect.flow.created", "prefect.flow.deleted"], "finding the flow again is no creation")
            #expect(flowEvents.first?.resource.labels == [
                "prefect.resource.id": "prefect.flow.\(flowID.uuidString.lowercased())", "prefect.resource.name": flowName,
            ])
            #expect(flowEvents.first?.payload == ["name": .string(flowName), "tags": [], "labels": [:]])

            let variableEvents = try await settledEvents(client, resource: "prefect.variable.\(variable.id.uuidString.lowercased())", count: 3)
                .withoutRepeats()
            #expect(variableEvents.map(\.event.event) == ["prefect.variable.created", "prefect.variable.updated", "prefect.variable.deleted"])
            #expect(variableEvents.map(\.payload) == [
                ["name": .string(variableName), "value": ["b": 1, "a": [true]], "tags": ["t"]],
                ["name": .string(variableName), "value": "second", "tags": ["t"]],
                ["name": .string(variableName), "value": "second", "tags": ["t"]],
            ])
            #expect(variableEvents.allSatisfy { $0.related.isEmpty })
        }
    }

    @Test("a deployment announces its creation, the fields an update changed, its first poll and its deletion", arguments: ServerUnderTest.available)
    func deploymentEvents(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowName = IntegrationServer.uniqueName("deployment-events")
            let flowID = try await client.createFlowFromName(flowName)
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "announced", description: "one", tags: ["x"])
            try await client.updateDeployment(deploymentID: deploymentID, deployment: DeploymentUpdate(description: "two", tags: ["y", "x"]))
            try await client.updateDeployment(deploymentID: deploymentID, deployment: DeploymentUpdate(description: "two"))
            _ = try await client.getScheduledFlowRunsForDeployments(deploymentIDs: [deploymentID], scheduledBefore: Date())
            _ = try await client.getScheduledFlowRunsForDeployments(deploymentIDs: [deploymentID], scheduledBefore: Date())
            try await client.deleteDeployment(deploymentID: deploymentID)

            let resource = "prefect.deployment.\(deploymentID.uuidString.lowercased())"
            let events = try await settledEvents(client, resource: resource, count: 4).withoutRepeats()
            #expect(events.map(\.event.event) == [
                "prefect.deployment.created", "prefect.deployment.updated", "prefect.deployment.ready", "prefect.deployment.deleted",
            ], "an update that changes nothing and a second poll are not announced")
            #expect(events.allSatisfy { $0.resource.labels == ["prefect.resource.id": resource, "prefect.resource.name": "announced"] })
            #expect(events.allSatisfy {
                $0.related.map(\.labels) == [
                    ["prefect.resource.id": "prefect.flow.\(flowID.uuidString.lowercased())", "prefect.resource.role": "flow",
                     "prefect.resource.name": flowName],
                ]
            })
            let updated = try #require(events.dropFirst().first)
            guard case .array(let fields) = updated.payload["updated_fields"] else {
                Issue.record("no updated_fields: \(updated.payload)")
                return
            }
            #expect(Set(fields) == ["description", "tags"], "Prefect lists them in no fixed order")
            #expect(updated.payload["updates"] == [
                "description": ["from": "one", "to": "two"], "tags": ["from": ["x"], "to": ["y", "x"]],
            ])
        }
    }

    /// The events about `resource`, oldest first, once `count` are stored.
    private func settledEvents(_ client: PrefectClient, resource: String, count: Int) async throws -> [ReceivedEvent] {
        let filter = EventFilter(resource: EventFilter.Resources(id: [resource]), order: .ascending)
        var page = try await client.readEvents(filter: filter)
        for _ in 0..<60 where page.total < count {
            try await Task.sleep(for: .milliseconds(250))
            page = try await client.readEvents(filter: filter)
        }
        return page.events
    }
}

extension [ReceivedEvent] {
    /// The events without those that repeat the previous one's name and payload.
    func withoutRepeats() -> [ReceivedEvent] {
        var kept: [ReceivedEvent] = []
        for event in self where kept.last.map({ $0.event.event != event.event.event || $0.payload != event.payload }) ?? true {
            kept.append(event)
        }
        return kept
    }
}
