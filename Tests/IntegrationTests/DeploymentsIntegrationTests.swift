import Foundation
import PrefectClient
import Testing

@Suite("Deployments on every server")
struct DeploymentsIntegrationTests {
    @Test("create, read by id and name, filter, update, pause and resume, delete", arguments: ServerUnderTest.available)
    func deploymentLifecycle(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowName = IntegrationServer.uniqueName("deployed")
            let flowID = try await client.createFlowFromName(flowName)
            let deploymentID = try await client.createDeployment(
                flowID: flowID, name: "nightly", version: "1.0",
                schedules: [DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 3600, timezone: "UTC")), active: false)],
                parameters: ["region": "eu"], description: "first", tags: ["swift"], entrypoint: "flows.swift:nightly",
                parameterOpenapiSchema: ["type": "object", "properties": [:]], jobVariables: ["memory": 512])

            let deployment = try await client.readDeployment(deploymentID: deploymentID)
            #expect(deployment.name == "nightly")
            #expect(deployment.flowID == flowID)
            #expect(deployment.parameters == ["region": "eu"])
            #expect(deployment.jobVariables == ["memory": 512])
            #expect(deployment.tags == ["swift"])
            #expect(deployment.schedules.count == 1)
            if case .interval(let interval) = deployment.schedules.first?.schedule {
                #expect(interval.interval == 3600)
            } else {
                Issue.record("expected an interval schedule, got \(String(describing: deployment.schedules.first?.schedule))")
            }
            #expect(try await client.readDeploymentByName("\(flowName)/nightly").id == deploymentID)
            await #expect(throws: ObjectNotFound.self) { try await client.readDeploymentByName("\(flowName)/missing") }
            await #expect(throws: PrefectArgumentError.self) { try await client.readDeploymentByName("no-slash") }

            let filtered = try await client.readDeployments(flowFilter: FlowFilter(id: FlowFilterId(any: [flowID])))
            #expect(filtered.map(\.id) == [deploymentID])
            var paged: [UUID] = []
            for try await item in client.allDeployments(flowFilter: FlowFilter(id: FlowFilterId(any: [flowID])), pageSize: 1) {
                paged.append(item.id)
            }
            #expect(paged == [deploymentID])

            try await client.updateDeployment(deploymentID: deploymentID, deployment: DeploymentUpdate(description: "second"))
            var read = try await client.readDeployment(deploymentID: deploymentID)
            #expect(read.description == "second")
            #expect(read.parameters == ["region": "eu"], "fields not given are left unchanged")

            try await client.pauseDeployment(deploymentID: deploymentID)
            read = try await client.readDeployment(deploymentID: deploymentID)
            #expect(read.paused)
            try await client.resumeDeployment(deploymentID: deploymentID)
            read = try await client.readDeployment(deploymentID: deploymentID)
            #expect(!read.paused)
            try await client.setDeploymentPausedState(deploymentID: deploymentID, paused: true)
            #expect(try await client.readDeployment(deploymentID: deploymentID).paused)

            try await client.deleteDeployment(deploymentID: deploymentID)
            await #expect(throws: ObjectNotFound.self) { try await client.readDeployment(deploymentID: deploymentID) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteDeployment(deploymentID: deploymentID) }
            await #expect(throws: ObjectNotFound.self) { try await client.pauseDeployment(deploymentID: deploymentID) }
        }
    }

    @Test("runs from a deployment: parameters merged, idempotency key, scheduled runs", arguments: ServerUnderTest.available)
    func runsFromDeployment(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("from-deployment"))
            let deploymentID = try await client.createDeployment(
                flowID: flowID, name: "adhoc", parameters: ["region": "eu", "size": 1])
            let key = IntegrationServer.uniqueName("idem")
            let first = try await client.createFlowRunFromDeployment(
                deploymentID: deploymentID, parameters: ["size": 2], tags: ["manual"], idempotencyKey: key)
            let second = try await client.createFlowRunFromDeployment(
                deploymentID: deploymentID, parameters: ["size": 3], idempotencyKey: key)
            #expect(first.id == second.id, "the same idempotency key gives the same run")
            #expect(first.deploymentID == deploymentID)
            #expect(first.parameters == ["region": "eu", "size": 2])
            #expect(first.stateType == .scheduled)
            #expect(first.tags.contains("manual"))
            #expect(first.idempotencyKey == key)

            let later = try await client.createFlowRunFromDeployment(
                deploymentID: deploymentID, state: .scheduled(at: Date().addingTimeInterval(7200)),
                idempotencyKey: IntegrationServer.uniqueName("later"))
            let due = try await client.getScheduledFlowRunsForDeployments(
                deploymentIDs: [deploymentID], scheduledBefore: Date().addingTimeInterval(60))
            #expect(due.map(\.id) == [first.id])
            let all = try await client.getScheduledFlowRunsForDeployments(
                deploymentIDs: [deploymentID], scheduledBefore: Date().addingTimeInterval(10_000), limit: 10)
            #expect(Set(all.map(\.id)) == [first.id, later.id])

            await #expect(throws: ObjectNotFound.self) {
                try await client.createFlowRunFromDeployment(deploymentID: UUID())
            }
        }
    }

    @Test("a worker's poll of the pool marks its deployments READY", arguments: ServerUnderTest.available)
    func pollMarksDeploymentsReady(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let pool = IntegrationServer.uniqueName("dep-pool")
            _ = try await client.createWorkPool(WorkPoolCreate(name: pool, type: "process"))
            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("polled"))
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "worker", workPoolName: pool)
            let created = try await client.readDeployment(deploymentID: deploymentID)
            #expect(created.status == .notReady && created.lastPolled == nil && created.workQueueName == "default")
            let run = try await client.createFlowRunFromDeployment(deploymentID: deploymentID)
            let polled = try await client.getScheduledFlowRunsForWorkPool(workPoolName: pool, scheduledBefore: Date().addingTimeInterval(5))
            #expect(polled.map(\.flowRun.id) == [run.id])
            // Prefect 3.9.1 marks them in a background task, so the change may come a moment later.
            var read = try await client.readDeployment(deploymentID: deploymentID)
            for _ in 0..<50 where read.status != .ready {
                try await Task.sleep(for: .milliseconds(100))
                read = try await client.readDeployment(deploymentID: deploymentID)
            }
            #expect(read.status == .ready && read.lastPolled != nil)
            try await client.deleteDeployment(deploymentID: deploymentID)
            try await client.deleteWorkPool(workPoolName: pool)
        }
    }

    @Test("schedules: create (both forms), read, update, delete", arguments: ServerUnderTest.available)
    func schedules(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("scheduled"))
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "sched", paused: true)
            let created = try await client.createDeploymentSchedules(
                deploymentID: deploymentID,
                schedules: [
                    (schedule: .cron(CronSchedule(cron: "0 9 * * 1-5", timezone: "Europe/Paris")), active: false),
                    (schedule: .rrule(RRuleSchedule(rrule: "FREQ=DAILY;COUNT=3")), active: false),
                ], maxScheduledRuns: 3, parameters: ["from": "schedule"])
            #expect(created.count == 2)
            let interval = try await client.createDeploymentSchedules(
                deploymentID: deploymentID,
                schedules: [DeploymentScheduleCreate(schedule: .interval(IntervalSchedule(interval: 90)), active: false, slug: "every-90s")])
            #expect(interval.first?.slug == "every-90s")

            let read = try await client.readDeploymentSchedules(deploymentID: deploymentID)
            #expect(read.count == 3)
            let cron = try #require(read.first { if case .cron = $0.schedule { true } else { false } })
            if case .cron(let schedule) = cron.schedule {
                #expect(schedule.cron == "0 9 * * 1-5")
                #expect(schedule.timezone == "Europe/Paris")
            }
            #expect(cron.maxScheduledRuns == 3)
            #expect(cron.parameters == ["from": "schedule"])
            #expect(cron.active == false)

            try await client.updateDeploymentSchedule(
                deploymentID: deploymentID, scheduleID: cron.id, schedule: .cron(CronSchedule(cron: "30 8 * * *")))
            let updated = try await client.readDeploymentSchedules(deploymentID: deploymentID).first { $0.id == cron.id }
            if case .cron(let schedule)? = updated?.schedule {
                #expect(schedule.cron == "30 8 * * *")
            } else {
                Issue.record("schedule not updated: \(String(describing: updated))")
            }

            try await client.deleteDeploymentSchedule(deploymentID: deploymentID, scheduleID: cron.id)
            #expect(try await client.readDeploymentSchedules(deploymentID: deploymentID).count == 2)
            await #expect(throws: ObjectNotFound.self) {
                try await client.deleteDeploymentSchedule(deploymentID: deploymentID, scheduleID: cron.id)
            }
            await #expect(throws: ObjectNotFound.self) { try await client.readDeploymentSchedules(deploymentID: UUID()) }
        }
    }
}

@Suite("Cloud-only endpoints on every server")
struct CloudOnlyIntegrationTests {
    @Test("the open-source server has no deployment branches: 404 becomes ObjectNotFound", arguments: ServerUnderTest.available)
    func deploymentBranchIsCloudOnly(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("branch"))
            let deploymentID = try await client.createDeployment(flowID: flowID, name: "main")
            await #expect(throws: ObjectNotFound.self) {
                try await client.createDeploymentBranch(deploymentID: deploymentID, branch: "dev")
            }
        }
    }
}
