import Foundation
import PrefectClient
import Testing

@Suite("Automations on every server")
struct AutomationsIntegrationTests {
    /// A compound trigger over a proactive and a reactive event trigger, and one action of each
    /// kind the server runs.
    ///
    /// Stock Prefect evaluates what it stores: the proactive trigger matches only flow runs
    /// whose id starts with the automation's name, which none has. (Matching every flow run, it
    /// failed and deleted the Pending runs of tests running beside it, 10 s after their Pending.)
    private func automation(_ name: String, deploymentID: UUID, tags: [String] = []) -> AutomationCore {
        let late = EventTrigger(
            match: ["prefect.resource.id": .string("prefect.flow-run.\(name).*")], after: ["prefect.flow-run.Pending"],
            expect: ["prefect.flow-run.Running"], forEach: ["prefect.resource.id"], posture: .proactive, within: 0)
        let failed = EventTrigger(
            match: ["prefect.resource.id": ["prefect.flow-run.a", "prefect.flow-run.b"]],
            matchRelated: .many([["prefect.resource.role": "flow"]]), expect: ["prefect.flow-run.Failed"], threshold: 2,
            within: 60)
        return AutomationCore(
            name: name, description: "late or failing runs", tags: tags,
            trigger: .compound(CompoundTrigger(triggers: [.event(late), .sequence(SequenceTrigger(triggers: [.event(failed)], within: 120))],
                                               within: 300, require: .any)),
            actions: [
                .runDeployment(RunDeploymentAction(.selected(deploymentID), parameters: ["x": 1], scheduleAfter: 30)),
                .pauseDeployment(.inferred),
                .changeFlowRunState(ChangeFlowRunStateAction(state: .failed, message: "stuck")),
                .cancelFlowRun, .suspendFlowRun, .resumeFlowRun, .deleteFlowRun,
                .pauseWorkQueue(.inferred), .resumeWorkPool(.inferred), .pauseAutomation(.inferred),
                .sendNotification(SendNotificationAction(blockDocumentID: UUID(), body: "{{ flow_run.name }} is late")),
                .callWebhook(CallWebhookAction(blockDocumentID: UUID(), payload: "{}")),
                .doNothing,
            ],
            actionsOnTrigger: [.doNothing])
    }

    @Test("create, read, find, filter, replace, pause, resume and delete", arguments: ServerUnderTest.available)
    func lifecycle(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let name = IntegrationServer.uniqueName("late-runs")
            let deploymentID = UUID()
            let id = try await client.createAutomation(automation(name, deploymentID: deploymentID, tags: ["swift", "ops"]))
            let read = try #require(try await client.readAutomation(automationID: id))
            #expect(read.name == name)
            #expect(read.enabled)
            #expect(read.tags == ["swift", "ops"])
            #expect(read.actions.count == 13)
            #expect(read.actions.first == .runDeployment(RunDeploymentAction(.selected(deploymentID), parameters: ["x": 1], scheduleAfter: 30)))
            #expect(read.actionsOnTrigger == [.doNothing])
            guard case .compound(let compound) = read.trigger, case .event(let late) = compound.triggers.first,
                  case .sequence(let sequence) = compound.triggers.last, case .event(let failed) = sequence.triggers.first else {
                Issue.record("the trigger did not come back as sent: \(read.trigger)")
                return
            }
            #expect(compound.id != nil, "the server gives every trigger an id")
            #expect(compound.require == .any)
            #expect(compound.within == 300)
            #expect(late.within == 10, "a proactive trigger without a period waits 10 seconds")
            #expect(late.posture == .proactive)
            #expect(failed.threshold == 2)
            #expect(failed.matchRelated == .many([["prefect.resource.role": "flow"]]))
            #expect(failed.match["prefect.resource.id"] == ["prefect.flow-run.a", "prefect.flow-run.b"])

            #expect(try await client.findAutomation(id.uuidString)?.id == id)
            #expect(try await client.findAutomation(name)?.id == id)
            #expect(try await client.findAutomation(name.uppercased())?.id == id, "then by name without regard to case")
            #expect(try await client.findAutomation("no-such-automation-\(UUID())") == nil)
            await #expect(throws: ObjectNotFound.self) { try await client.findAutomation(UUID().uuidString) }
            #expect(try await client.readAutomationsByName(name).map(\.id) == [id])
            #expect(try await client.readAutomations(filter: AutomationFilter(idAny: [id], tagsAll: ["ops"])).map(\.id) == [id])
            #expect(try await client.readAutomations(filter: AutomationFilter(idAny: [id], tagsAny: ["other"])).isEmpty)
            #expect(try await client.readAutomation(automationID: UUID()) == nil)

            try await client.pauseAutomation(automationID: id)
            #expect(try await client.readAutomation(automationID: id)?.enabled == false)
            try await client.resumeAutomation(automationID: id)
            #expect(try await client.readAutomation(automationID: id)?.enabled == true)
            await #expect(throws: ObjectNotFound.self) { try await client.pauseAutomation(automationID: UUID()) }

            var replacement = read.core
            replacement.name = name + "-renamed"
            replacement.trigger = .event(EventTrigger(expect: ["prefect.flow-run.Completed"]))
            replacement.actions = [.doNothing]
            try await client.updateAutomation(automationID: id, replacement)
            let replaced = try #require(try await client.readAutomation(automationID: id))
            #expect(replaced.name == name + "-renamed")
            #expect(replaced.actions == [.doNothing])
            #expect(try await client.readResourceRelatedAutomations(resourceID: "prefect.deployment.\(deploymentID.prefectString)").isEmpty,
                    "replacing the actions drops the deployment they selected")
            await #expect(throws: ObjectNotFound.self) { try await client.updateAutomation(automationID: UUID(), replacement) }

            try await client.deleteAutomation(automationID: id)
            #expect(try await client.readAutomation(automationID: id) == nil)
            try await client.deleteAutomation(automationID: id)
        }
    }

    @Test("related and owned resources: a selected deployment relates, its owner deletes", arguments: ServerUnderTest.available)
    func relatedResources(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let deploymentID = UUID()
            let resource = "prefect.deployment.\(deploymentID.prefectString)"
            var owned = automation(IntegrationServer.uniqueName("owned"), deploymentID: deploymentID)
            owned.ownerResource = resource
            let ownedID = try await client.createAutomation(owned)
            let relatedID = try await client.createAutomation(automation(IntegrationServer.uniqueName("related"), deploymentID: deploymentID))
            #expect(Set(try await client.readResourceRelatedAutomations(resourceID: resource).map(\.id)) == [ownedID, relatedID])

            try await client.deleteResourceOwnedAutomations(resourceID: resource)
            #expect(try await client.readAutomation(automationID: ownedID) == nil, "the owner's automations go with it")
            #expect(try await client.readAutomation(automationID: relatedID) != nil, "others only relate to it")
            #expect(try await client.readResourceRelatedAutomations(resourceID: resource).map(\.id) == [relatedID])
            try await client.deleteAutomation(automationID: relatedID)
        }
    }

    @Test("triggers and actions the server cannot run are refused; unknown ones read back whole", arguments: ServerUnderTest.available)
    func refusedAndUnknown(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let name = IntegrationServer.uniqueName("refused")
            let metric = AutomationCore(
                name: name, trigger: .metric(MetricTrigger(metric: MetricTriggerQuery(name: "lateness", threshold: 60, operator: ">"))),
                actions: [.doNothing])
            for refused in [
                metric,
                AutomationCore(name: name, trigger: .event(EventTrigger()), actions: [.declareIncident]),
                AutomationCore(name: name, trigger: .event(EventTrigger(posture: .proactive, within: 5)), actions: [.doNothing]),
                AutomationCore(
                    name: name, trigger: .compound(CompoundTrigger(triggers: [.event(EventTrigger())], require: .atLeast(2))),
                    actions: [.doNothing]),
                AutomationCore(name: name, trigger: .event(EventTrigger()), actions: [.unknown(["type": "page-the-on-call"])]),
            ] {
                do {
                    _ = try await client.createAutomation(refused)
                    Issue.record("the server took \(refused.trigger) with \(refused.actions)")
                } catch let error as PrefectHTTPStatusError {
                    #expect(error.statusCode == 422)
                }
            }
            #expect(try await client.readAutomationsByName(name).isEmpty)

            // What a newer server could answer: a trigger and an action this SDK does not know.
            let newer = #"{"id":"6f1e3c52-45a1-4a55-9e0a-0d9f5f3b7a10","name":"n","trigger":{"type":"hyper","x":1},"#
                + #""actions":[{"type":"page-the-on-call","rota":"ops"}]}"#
            let decoded = try PrefectJSON.decode(Automation.self, from: Data(newer.utf8))
            #expect(decoded.trigger == .unknown(["type": "hyper", "x": 1]))
            #expect(decoded.actions == [.unknown(["type": "page-the-on-call", "rota": "ops"])])
            let again = try PrefectJSON.decode(Automation.self, from: PrefectJSON.encode(decoded))
            #expect(again == decoded, "an unknown trigger or action is sent back unchanged")
        }
    }
}
