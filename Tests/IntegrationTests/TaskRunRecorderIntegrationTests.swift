import Foundation
import PrefectClient
import Testing

@Suite("Task runs recorded from client task-run events, on every server")
struct TaskRunRecorderIntegrationTests {
    /// A `prefect.task-run.<state>` event as Prefect's engine emits it
    /// (`emit_task_run_state_change_event`), for a run of `taskKey` in `flowRunID`.
    private func stateEvent(
        taskRunID: UUID, flowRunID: UUID, taskKey: String, type: StateType, name: String, occurred: Date, runCount: Int
    ) -> Event {
        var taskRun: JSONObject = [
            "name": .string("recorded-\(taskKey.prefix(4))"), "task_key": .string(taskKey), "dynamic_key": "0",
            "run_count": .int(Int64(runCount)), "tags": ["recorded"], "labels": [:], "total_run_time": 0.0,
            "empirical_policy": ["max_retries": 0, "retry_delay_seconds": 0.0, "retries": 0, "retry_delay": 0],
            "task_inputs": [:], "flow_run_run_count": 1, "expected_start_time": .string(PrefectDate.format(occurred)),
        ]
        if type == .completed {
            taskRun["end_time"] = .string(PrefectDate.format(occurred))
        }
        if type != .pending {
            taskRun["start_time"] = .string(PrefectDate.format(occurred.addingTimeInterval(type == .running ? 0 : -1)))
        }
        return Event(
            event: "prefect.task-run.\(name)",
            resource: [
                "prefect.resource.id": "prefect.task-run.\(taskRunID.prefectString)", "prefect.resource.name": "recorded-\(taskKey.prefix(4))",
                "prefect.state-name": name, "prefect.state-type": type.rawValue, "prefect.orchestration": "client",
            ],
            occurred: occurred,
            related: [["prefect.resource.id": "prefect.flow-run.\(flowRunID.prefectString)", "prefect.resource.role": "flow-run"]],
            payload: [
                "intended": ["from": .null, "to": .string(type.rawValue)],
                "validated_state": ["type": .string(type.rawValue), "name": .string(name), "message": "", "state_details": [:], "data": .null],
                "task_run": .object(taskRun),
            ])
    }

    @Test(
        "a task run is made from its state events, the newest state wins whatever the order they arrive in, each state kept once",
        arguments: ServerUnderTest.available)
    func recordsFromEvents(server: ServerUnderTest) async throws {
        try await IntegrationServer.withClient(server) { client in
            let flowID = try await client.createFlow(name: "recorder-\(UUID().uuidString.prefix(8))")
            let flowRun = try await client.createFlowRun(flowID: flowID, state: .running())
            let taskRunID = UUID()
            let taskKey = "recorded-\(UUID().uuidString.prefix(8))"
            let start = Date().addingTimeInterval(-30)
            let pending = stateEvent(
                taskRunID: taskRunID, flowRunID: flowRun.id, taskKey: taskKey, type: .pending, name: "Pending", occurred: start, runCount: 0)
            let running = stateEvent(
                taskRunID: taskRunID, flowRunID: flowRun.id, taskKey: taskKey, type: .running, name: "Running",
                occurred: start.addingTimeInterval(1), runCount: 1)
            let completed = stateEvent(
                taskRunID: taskRunID, flowRunID: flowRun.id, taskKey: taskKey, type: .completed, name: "Completed",
                occurred: start.addingTimeInterval(2), runCount: 1)
            try await client.emitEvents([completed])
            try await client.emitEvents([pending, running, completed])

            var run: TaskRun?
            for _ in 0..<80 {
                run = try? await client.readTaskRun(taskRunID: taskRunID)
                if let run, run.stateType == .completed, try await client.readTaskRunStates(taskRunID: taskRunID).count == 3 { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            let recorded = try #require(run, "the task run was recorded")
            #expect(recorded.stateType == .completed, "the newest state wins though it came first")
            #expect(recorded.stateName == "Completed")
            #expect(recorded.state?.id == completed.id, "the state's id is the event's")
            #expect(recorded.flowRunID == flowRun.id)
            #expect(recorded.taskKey == taskKey)
            #expect(recorded.tags == ["recorded"])
            #expect(recorded.runCount == 1)
            let states = try await client.readTaskRunStates(taskRunID: taskRunID)
            #expect(states.map(\.name) == ["Pending", "Running", "Completed"], "every state once, in time order")
            #expect(states.map(\.id) == [pending.id, running.id, completed.id])
            #expect(states.allSatisfy { $0.stateDetails.taskRunID == taskRunID && $0.stateDetails.flowRunID == flowRun.id })
        }
    }
}
