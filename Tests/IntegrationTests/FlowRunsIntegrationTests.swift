import Foundation
import PrefectClient
import Testing

@Suite("Flow runs on every server")
struct FlowRunsIntegrationTests {
    @Test("create by flow name (two requests) and by flow id, read, filter, count", arguments: ServerUnderTest.available)
    func createReadFilterCount(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowName = IntegrationServer.uniqueName("runs")
            let run = try await client.createFlowRun(
                flowName: flowName, name: "first", parameters: ["x": 1, "y": "abc", "z": [1, 2.5]],
                context: ["origin": "swift"], tags: ["swift", "test"], retries: 2, retryDelay: 5)
            #expect(run.name == "first")
            #expect(run.parameters == ["x": 1, "y": "abc", "z": [1, 2.5]])
            #expect(run.tags.sorted() == ["swift", "test"])
            #expect(run.stateType == .pending)
            #expect(run.state?.isPending == true)
            #expect(run.empiricalPolicy.retries == 2)
            #expect(run.empiricalPolicy.retryDelay == 5)

            let second = try await client.createFlowRun(flowID: run.flowID, state: .scheduled(at: Date().addingTimeInterval(3600)))
            #expect(second.flowID == run.flowID)
            #expect(second.stateType == .scheduled)
            #expect(second.name.isEmpty == false)

            let read = try await client.readFlowRun(flowRunID: run.id)
            #expect(read.id == run.id)
            #expect(read.context["origin"] == "swift")

            let byFlow = FlowFilter(id: FlowFilterId(any: [run.flowID]))
            let runs = try await client.readFlowRuns(flowFilter: byFlow, sort: .nameAsc)
            #expect(Set(runs.map(\.id)) == [run.id, second.id])
            #expect(try await client.countFlowRuns(flowFilter: byFlow) == 2)
            let pending = try await client.readFlowRuns(
                flowFilter: byFlow, flowRunFilter: FlowRunFilter(state: FlowRunFilterState(type: FlowRunFilterStateType(any: [.pending]))))
            #expect(pending.map(\.id) == [run.id])
            #expect(try await client.countFlowRuns(
                flowFilter: byFlow, flowRunFilter: FlowRunFilter(tags: FlowRunFilterTags(all: ["swift"]))) == 1)
        }
    }

    @Test("the start_time filter places a run not started yet at its expected start; is_null_ looks at the start alone", arguments: ServerUnderTest.available)
    func startTimeFilter(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("start-window"))
            let started = try await client.createFlowRun(flowID: flowID, state: .make(.running))
            let soon = try await client.createFlowRun(flowID: flowID, state: .scheduled(at: Date().addingTimeInterval(3_600)))
            let longAgo = try await client.createFlowRun(flowID: flowID, state: .scheduled(at: Date().addingTimeInterval(-172_800)))
            let byFlow = FlowFilter(id: FlowFilterId(any: [flowID]))
            let window = FlowRunFilter(startTime: FlowRunFilterStartTime(
                before: Date().addingTimeInterval(7_200), after: Date().addingTimeInterval(-3_600)))
            let inWindow = try await client.readFlowRuns(flowFilter: byFlow, flowRunFilter: window)
            #expect(Set(inWindow.map(\.id)) == [started.id, soon.id])
            let notStarted = try await client.readFlowRuns(
                flowFilter: byFlow, flowRunFilter: FlowRunFilter(startTime: FlowRunFilterStartTime(isNull: true)))
            #expect(Set(notStarted.map(\.id)) == [soon.id, longAgo.id])
            #expect(try await client.countFlowRuns(flowFilter: byFlow, flowRunFilter: window) == 2)
        }
    }

    @Test("update, rename, labels, delete", arguments: ServerUnderTest.available)
    func updateRenameLabelsDelete(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let run = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("update"), parameters: ["a": 1])
            try await client.updateFlowRun(flowRunID: run.id, flowVersion: "v2", tags: ["changed"])
            var read = try await client.readFlowRun(flowRunID: run.id)
            #expect(read.flowVersion == "v2")
            #expect(read.tags == ["changed"])
            #expect(read.parameters == ["a": 1], "fields not given are left unchanged")

            try await client.setFlowRunName(flowRunID: run.id, name: "renamed")
            read = try await client.readFlowRun(flowRunID: run.id)
            #expect(read.name == "renamed")

            try await client.updateFlowRunLabels(flowRunID: run.id, labels: ["team": "data", "tier": 2])
            read = try await client.readFlowRun(flowRunID: run.id)
            #expect(read.labels["team"] == "data")
            #expect(read.labels["tier"] == 2)

            try await client.deleteFlowRun(flowRunID: run.id)
            await #expect(throws: ObjectNotFound.self) { try await client.readFlowRun(flowRunID: run.id) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteFlowRun(flowRunID: run.id) }
            await #expect(throws: ObjectNotFound.self) {
                try await client.updateFlowRun(flowRunID: run.id, name: "gone")
            }
        }
    }

    @Test("states: Pending → Running → Completed accepted, history read back, rules enforced", arguments: ServerUnderTest.available)
    func stateTransitions(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let run = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("states"))
            let running = try await client.setFlowRunState(flowRunID: run.id, state: .running())
            #expect(running.status == .accept)
            #expect(running.state?.type == .running)
            #expect(running.state?.stateDetails.flowRunID == run.id)
            if case .accept = running.details {} else { Issue.record("expected accept details, got \(running.details)") }

            let backToPending = try await client.setFlowRunState(flowRunID: run.id, state: .pending())
            #expect(backToPending.status == .abort, "a running run may not go back to Pending")
            #expect(backToPending.details.reason?.isEmpty == false)

            let completed = try await client.setFlowRunState(flowRunID: run.id, state: .completed(message: "done"))
            #expect(completed.status == .accept)
            #expect(completed.state?.isFinal == true)
            #expect(completed.state?.message == "done")

            let history = try await client.readFlowRunStates(flowRunID: run.id)
            #expect(history.map(\.type) == [.pending, .running, .completed])
            #expect(history.last?.message == "done")
            if let running = history.dropFirst().first {
                let one = try await client.readFlowRunState(flowRunStateID: running.id)
                #expect(one.id == running.id)
                #expect(one.type == .running)
                #expect(one.stateDetails.flowRunID == run.id)
            }
            await #expect(throws: ObjectNotFound.self) { try await client.readFlowRunState(flowRunStateID: UUID()) }
            let read = try await client.readFlowRun(flowRunID: run.id)
            #expect(read.stateType == .completed)
            #expect(read.runCount == 1)
            #expect(read.startTime != nil && read.endTime != nil)

            let forced = try await client.setFlowRunState(flowRunID: run.id, state: .pending(), force: true)
            #expect(forced.status == .accept, "force skips the orchestration rules")

            await #expect(throws: ObjectNotFound.self) {
                try await client.setFlowRunState(flowRunID: UUID(), state: .running())
            }
        }
    }

    @Test("pause and resume with input", arguments: ServerUnderTest.available)
    func pauseAndResume(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let run = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("pause"))
            _ = try await client.setFlowRunState(flowRunID: run.id, state: .running())
            let paused = try await client.setFlowRunState(
                flowRunID: run.id, state: .paused(until: Date().addingTimeInterval(600), pauseKey: "approval"))
            #expect(paused.status == .accept)
            #expect(paused.state?.isPaused == true)
            let resumed = try await client.resumeFlowRun(flowRunID: run.id)
            #expect(resumed.status == .accept)
            #expect(resumed.state?.type == .running)
        }
    }

    @Test("flow-run input: create, read, filter, delete", arguments: ServerUnderTest.available)
    func flowRunInput(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let run = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("input"))
            try await client.createFlowRunInput(flowRunID: run.id, key: "approval-1", value: #"{"ok": true}"#, sender: "swift")
            try await client.createFlowRunInput(flowRunID: run.id, key: "approval-2", value: "\"second\"")
            try await client.createFlowRunInput(flowRunID: run.id, key: "other", value: "1")
            #expect(try await client.readFlowRunInput(flowRunID: run.id, key: "approval-1") == #"{"ok": true}"#)

            let filtered = try await client.filterFlowRunInput(
                flowRunID: run.id, keyPrefix: "approval", limit: 10, excludeKeys: ["approval-2"])
            #expect(filtered.map(\.key) == ["approval-1"])
            #expect(filtered.first?.sender == "swift")
            #expect(filtered.first?.flowRunID == run.id)

            await #expect(throws: ObjectAlreadyExists.self) {
                try await client.createFlowRunInput(flowRunID: run.id, key: "other", value: "2")
            }
            let badKey = await #expect(throws: PrefectArgumentError.self) {
                try await client.createFlowRunInput(flowRunID: run.id, key: "not valid!", value: "1")
            }
            #expect(badKey?.argument == "key")

            try await client.deleteFlowRunInput(flowRunID: run.id, key: "approval-1")
            await #expect(throws: ObjectNotFound.self) {
                try await client.readFlowRunInput(flowRunID: run.id, key: "approval-1")
            }
        }
    }

    @Test("every flow run of a flow is reachable through the paginated sequence", arguments: ServerUnderTest.available)
    func pagination(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowID = try await client.createFlowFromName(IntegrationServer.uniqueName("paged-runs"))
            var created: Set<UUID> = []
            for _ in 0..<7 {
                created.insert(try await client.createFlowRun(flowID: flowID).id)
            }
            var seen: [UUID] = []
            for try await run in client.allFlowRuns(flowFilter: FlowFilter(id: FlowFilterId(any: [flowID])), pageSize: 3) {
                seen.append(run.id)
            }
            #expect(seen.count == 7)
            #expect(Set(seen) == created)
        }
    }
}
