import Foundation
import PrefectClient
import Testing

@Suite("Task runs and logs on every server")
struct TaskRunsIntegrationTests {
    @Test("create with a client id (twice is one task run), read, states, rename, filter, delete", arguments: ServerUnderTest.available)
    func taskRunLifecycle(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowRun = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("tasks"))
            _ = try await client.setFlowRunState(flowRunID: flowRun.id, state: .running())
            let id = UUID()
            let created = try await client.createTaskRun(
                taskKey: "add_one-1234", flowRunID: flowRun.id, dynamicKey: "0", id: id, name: "add_one-0",
                tags: ["math"], taskVersion: "1", empiricalPolicy: TaskRunPolicy(retries: 2, retryDelay: [1, 2]),
                taskInputs: ["x": [.parameter(Parameter(name: "x"))], "y": [.constant(Constant(type: "int"))]])
            #expect(created.id == id)
            #expect(created.name == "add_one-0")
            #expect(created.flowRunID == flowRun.id)
            #expect(created.stateType == .pending)
            #expect(created.empiricalPolicy.retries == 2)
            #expect(created.taskInputs["x"] == [.parameter(Parameter(name: "x"))])

            let again = try await client.createTaskRun(
                taskKey: "add_one-1234", flowRunID: flowRun.id, dynamicKey: "0", id: id, name: "add_one-0")
            #expect(again.id == id)
            let count = try await client.readTaskRuns(flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: [flowRun.id])))
            #expect(count.map(\.id) == [id], "the same id twice is one task run")

            let running = try await client.setTaskRunState(taskRunID: id, state: .running())
            #expect(running.status == .accept)
            let completed = try await client.setTaskRunState(taskRunID: id, state: .completed())
            #expect(completed.status == .accept)
            #expect(completed.state?.stateDetails.taskRunID == id)
            #expect(try await client.readTaskRunStates(taskRunID: id).map(\.type) == [.pending, .running, .completed])

            try await client.setTaskRunName(taskRunID: id, name: "renamed")
            let read = try await client.readTaskRun(taskRunID: id)
            #expect(read.name == "renamed")
            #expect(read.stateType == .completed)
            #expect(read.tags == ["math"])

            let second = try await client.createTaskRun(taskKey: "other", flowRunID: flowRun.id, dynamicKey: "1")
            let completedOnly = try await client.readTaskRuns(
                flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: [flowRun.id])),
                taskRunFilter: TaskRunFilter(state: TaskRunFilterState(type: TaskRunFilterStateType(any: [.completed]))))
            #expect(completedOnly.map(\.id) == [id])
            let sorted = try await client.readTaskRuns(
                flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: [flowRun.id])), sort: .expectedStartTimeDesc, limit: 5)
            #expect(Set(sorted.map(\.id)) == [id, second.id])
            var paged: [UUID] = []
            for try await run in client.allTaskRuns(flowRunFilter: FlowRunFilter(id: FlowRunFilterId(any: [flowRun.id])), pageSize: 1) {
                paged.append(run.id)
            }
            #expect(Set(paged) == [id, second.id])

            try await client.deleteTaskRun(taskRunID: id)
            await #expect(throws: ObjectNotFound.self) { try await client.readTaskRun(taskRunID: id) }
            await #expect(throws: ObjectNotFound.self) { try await client.deleteTaskRun(taskRunID: id) }
            await #expect(throws: ObjectNotFound.self) {
                try await client.setTaskRunState(taskRunID: id, state: .running())
            }
        }
    }

    @Test("logs are written and read back in order", arguments: ServerUnderTest.available)
    func logs(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowRun = try await client.createFlowRun(flowName: IntegrationServer.uniqueName("logs"))
            let start = Date()
            let records = (0..<5).map { index in
                LogCreate(
                    name: "prefect.flow_runs", level: index == 4 ? 40 : 20, message: "line \(index)",
                    timestamp: start.addingTimeInterval(Double(index) / 1000), flowRunID: flowRun.id)
            }
            try await client.createLogs(records)
            let filter = LogFilter(flowRunID: LogFilterFlowRunId(any: [flowRun.id]))
            var logs: [Log] = []
            for _ in 0..<50 {
                logs = try await client.readLogs(logFilter: filter)
                if logs.count == 5 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(logs.map(\.message) == (0..<5).map { "line \($0)" })
            #expect(logs.allSatisfy { $0.flowRunID == flowRun.id })
            #expect(abs(logs[0].timestamp.timeIntervalSince(start)) < 0.000_002, "microseconds survive the round trip")
            let errors = try await client.readLogs(logFilter: LogFilter(
                level: LogFilterLevel(ge: 40), flowRunID: LogFilterFlowRunId(any: [flowRun.id])))
            #expect(errors.map(\.message) == ["line 4"])
            let newestFirst = try await client.readLogs(logFilter: filter, limit: 2, sort: .timestampDesc)
            #expect(newestFirst.map(\.message) == ["line 4", "line 3"])
            var all: [String] = []
            for try await log in client.allLogs(logFilter: filter, pageSize: 2) { all.append(log.message) }
            #expect(all.count == 5)
        }
    }
}
