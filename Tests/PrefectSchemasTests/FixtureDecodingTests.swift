import Foundation
import PrefectSchemas
import Testing

/// Responses captured from a real Prefect 3.9.1 server (scripts/capture-fixtures.py).
enum Fixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data(name))
    }
}

/// Decodes a fixture as `T` with both decoders, re-encodes it and checks that nothing changed
/// and nothing was lost.
struct RoundTrip<T: Codable & Equatable>: Sendable, CustomTestStringConvertible {
    let fixture: String
    var testDescription: String { "\(fixture) as \(T.self)" }

    func check() throws {
        let data = try Fixture.data(fixture)
        let fast = try PrefectJSONDecoder().decode(T.self, from: data)
        let foundation = try JSONDecoder().decode(T.self, from: data)
        #expect(fast == foundation, "both decoders agree")

        let encoded = try JSONEncoder().encode(fast)
        let again = try PrefectJSONDecoder().decode(T.self, from: encoded)
        #expect(again == fast, "decode → encode → decode gives the same value")

        let streamed = try JSONDecoder().decode(JSONValue.self, from: PrefectJSONEncoder().encode(fast))
        #expect(streamed == (try JSONDecoder().decode(JSONValue.self, from: encoded)), "PrefectJSONEncoder writes what JSONEncoder writes")

        let original = try Fixture.json(fixture)
        let reencoded = try JSONDecoder().decode(JSONValue.self, from: encoded)
        let firstDifferences = Array(JSONComparison.differences(original: original, reencoded: reencoded).prefix(5))
        #expect(firstDifferences.isEmpty, "re-encoded JSON differs from the server's")
    }
}

/// Compares what the server sent with what the SDK re-encodes: values must match (numbers
/// by value, `null` and absent alike), and no non-null field may be lost.
enum JSONComparison {
    static func differences(original: JSONValue, reencoded: JSONValue, path: String = "$") -> [String] {
        switch (original, reencoded) {
        case (.object(let left), .object(let right)):
            var found: [String] = []
            for key in Set(left.keys).union(right.keys).sorted() {
                let l = left[key] ?? .null
                let r = right[key] ?? .null
                found += differences(original: l, reencoded: r, path: "\(path).\(key)")
            }
            return found
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return ["\(path): \(left.count) vs \(right.count) elements"] }
            return zip(left, right).enumerated().flatMap { index, pair in
                differences(original: pair.0, reencoded: pair.1, path: "\(path)[\(index)]")
            }
        case (.int(let l), .double(let r)), (.double(let r), .int(let l)):
            return Double(l) == r ? [] : ["\(path): \(l) vs \(r)"]
        case (.string(let l), .string(let r)) where l != r:
            if let left = PrefectDate.parse(l), let right = PrefectDate.parse(r),
                abs(left.timeIntervalSince(right)) < 0.000_000_5
            {
                return []
            }
            return ["\(path): \"\(l)\" vs \"\(r)\""]
        default:
            return original == reencoded ? [] : ["\(path): \(original.jsonText) vs \(reencoded.jsonText)"]
        }
    }
}

@Suite("Models decode what Prefect 3.9.1 sends and lose nothing")
struct FixtureDecodingTests {
    @Test("objects and lists", arguments: [
        "flow", "flow_run", "task_run", "work_pool", "work_queue", "variable", "deployment",
    ])
    func singleObjects(fixture: String) throws {
        switch fixture {
        case "flow": try RoundTrip<Flow>(fixture: fixture).check()
        case "flow_run": try RoundTrip<FlowRun>(fixture: fixture).check()
        case "task_run": try RoundTrip<TaskRun>(fixture: fixture).check()
        case "work_pool": try RoundTrip<WorkPool>(fixture: fixture).check()
        case "work_queue": try RoundTrip<WorkQueue>(fixture: fixture).check()
        case "variable": try RoundTrip<Variable>(fixture: fixture).check()
        case "deployment": try RoundTrip<DeploymentResponse>(fixture: fixture).check()
        default: Issue.record("no type for \(fixture)")
        }
    }

    @Test("lists, responses and statuses", arguments: [
        "flow_runs_filter", "task_runs_filter", "flow_run_states", "deployment_schedules", "logs", "flow_run_inputs",
        "workers", "worker_flow_runs", "work_queue_status", "work_pool_concurrency_status",
        "work_queue_concurrency_status", "orchestration_accept", "orchestration_abort", "orchestration_task_completed",
        "csrf_token", "flow_runs_filter_200",
    ])
    func collections(fixture: String) throws {
        switch fixture {
        case "flow_runs_filter", "flow_runs_filter_200": try RoundTrip<[FlowRun]>(fixture: fixture).check()
        case "task_runs_filter": try RoundTrip<[TaskRun]>(fixture: fixture).check()
        case "flow_run_states": try RoundTrip<[State]>(fixture: fixture).check()
        case "deployment_schedules": try RoundTrip<[DeploymentSchedule]>(fixture: fixture).check()
        case "logs": try RoundTrip<[Log]>(fixture: fixture).check()
        case "flow_run_inputs": try RoundTrip<[FlowRunInput]>(fixture: fixture).check()
        case "workers": try RoundTrip<[Worker]>(fixture: fixture).check()
        case "worker_flow_runs": try RoundTrip<[WorkerFlowRunResponse]>(fixture: fixture).check()
        case "work_queue_status": try RoundTrip<WorkQueueStatusDetail>(fixture: fixture).check()
        case "work_pool_concurrency_status": try RoundTrip<WorkPoolConcurrencyStatus>(fixture: fixture).check()
        case "work_queue_concurrency_status": try RoundTrip<WorkQueueConcurrencyStatus>(fixture: fixture).check()
        case "orchestration_accept", "orchestration_abort", "orchestration_task_completed":
            try RoundTrip<OrchestrationResult>(fixture: fixture).check()
        case "csrf_token": try RoundTrip<CsrfToken>(fixture: fixture).check()
        default: Issue.record("no type for \(fixture)")
        }
    }

    @Test("the union types pick the right case")
    func unions() throws {
        let schedules = try PrefectJSONDecoder().decode([DeploymentSchedule].self, from: Fixture.data("deployment_schedules"))
        let kinds = schedules.map { schedule -> String in
            switch schedule.schedule {
            case .interval(let interval): "interval \(interval.interval)"
            case .cron(let cron): "cron \(cron.cron) \(cron.timezone ?? "")"
            case .rrule(let rrule): "rrule \(rrule.rrule)"
            case .none: "none"
            case .unknown: "unknown"
            }
        }
        #expect(Set(kinds) == ["interval 3600.5", "cron 0 9 * * 1-5 Europe/Paris", "rrule DTSTART:20200101T000000\nFREQ=DAILY;COUNT=3"], "the server adds a DTSTART to an rrule without one")

        let taskRun = try PrefectJSONDecoder().decode(TaskRun.self, from: Fixture.data("task_run"))
        #expect(taskRun.taskInputs["x"] == [.parameter(Parameter(name: "x"))])
        #expect(taskRun.taskInputs["y"] == [.constant(Constant(type: "int"))])
        if case .taskRun? = taskRun.taskInputs["z"]?.first {} else { Issue.record("z should be a task-run input") }
        #expect(taskRun.empiricalPolicy.retryDelay == [1, 2])

        let abort = try PrefectJSONDecoder().decode(OrchestrationResult.self, from: Fixture.data("orchestration_abort"))
        #expect(abort.status == .abort)
        if case .abort(let details) = abort.details { #expect(details.reason?.isEmpty == false) } else {
            Issue.record("expected abort details, got \(abort.details)")
        }
    }

    @Test("microseconds survive decode → encode")
    func microseconds() throws {
        let original = try Fixture.json("flow_run")
        let run = try PrefectJSONDecoder().decode(FlowRun.self, from: Fixture.data("flow_run"))
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(run))
        for key in ["created", "updated", "expected_start_time"] {
            let sent = try #require(original[key]?.stringValue)
            #expect(sent.contains("."), "the server sends fractional seconds")
            #expect(encoded[key]?.stringValue == PrefectDate.format(try #require(PrefectDate.parse(sent))))
            #expect(encoded[key]?.stringValue?.dropLast() == sent.replacingOccurrences(of: "+00:00", with: "Z").dropLast())
        }
    }

    @Test("unknown enum values and unknown fields from a newer server decode and re-encode unchanged")
    func forwardCompatibility() throws {
        guard case .object(var run) = try Fixture.json("flow_run") else { throw CancellationError() }
        run["state_type"] = "HIBERNATING"
        run["a_field_from_the_future"] = ["nested": [1, 2, 3]]
        if case .object(var state)? = run["state"] {
            state["type"] = "HIBERNATING"
            state["new_state_field"] = true
            run["state"] = .object(state)
        }
        run["deployment_id"] = nil
        let data = try JSONEncoder().encode(JSONValue.object(run))
        for decoded in [try PrefectJSONDecoder().decode(FlowRun.self, from: data), try JSONDecoder().decode(FlowRun.self, from: data)] {
            #expect(decoded.stateType == .unknown("HIBERNATING"))
            #expect(decoded.state?.type == .unknown("HIBERNATING"))
            #expect(decoded.state?.isFinal == false)
            #expect(decoded.deploymentID == nil)
            let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(decoded))
            #expect(encoded["state_type"] == "HIBERNATING")
        }
    }
}
