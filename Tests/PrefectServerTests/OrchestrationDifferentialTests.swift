import Foundation
import PrefectSchemas
import Testing

/// Replays the orchestration scenarios recorded from Prefect 3.9.1 by
/// `scripts/record-orchestration.py` against the embedded server, and compares each answer's
/// status and projection (ids, timestamps and exact delays taken out, the same way on both sides).
@Suite("Orchestration, differentially against Prefect 3.9.1")
struct OrchestrationDifferentialTests {
    static let recording = DifferentialRecording.load("orchestration.json")

    static var names: [String] { recording.scenarios.keys.sorted() }

    @Test("the recording is there")
    func recordingPresent() {
        #expect(Self.names.count > 300)
    }

    @Test("each scenario gets Prefect's answers", arguments: names)
    func scenario(name: String) async throws {
        let steps = try #require(Self.recording.scenarios[name])
        try await DifferentialRecording.replay(steps) { json, _ in Self.project(json) }
    }

    // MARK: the same projection as scripts/record-orchestration.py

    /// Ids in a reason or message replaced by `<id>`.
    static func withoutIDs(_ value: JSONValue?) -> JSONValue {
        guard let text = value?.stringValue else { return value ?? .null }
        return .string(text.replacingOccurrences(
            of: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", with: "<id>", options: .regularExpression))
    }

    static func project(_ body: JSONValue?) -> JSONValue {
        guard let body else { return .null }
        switch body {
        case .array(let states):
            return .array(states.map { .string("\($0["type"]?.stringValue ?? "None")/\($0["name"]?.stringValue ?? "None")") })
        case .object(let object):
            if object["status"] != nil, let details = object["details"] {
                // Whether the client is told to wait, not for how long (as the recorder projects it).
                let delay: JSONValue = details["delay_seconds"]?.numberValue.map { .bool($0 > 0) } ?? .null
                let state: JSONValue = object["state"].flatMap { state -> JSONValue? in
                    guard case .object = state else { return nil }
                    return [
                        "type": state["type"] ?? .null, "name": state["name"] ?? .null, "message": state["message"] ?? .null,
                        "scheduled": .bool((state["state_details"]?["scheduled_time"] ?? .null) != .null),
                    ]
                } ?? .null
                return [
                    "status": object["status"] ?? .null,
                    "details": ["type": details["type"] ?? .null, "reason": withoutIDs(details["reason"]), "delay": delay],
                    "state": state,
                ]
            }
            if object["state_type"] != nil, object["run_count"] != nil {
                let policy = object["empirical_policy"] ?? .null
                let pauseKeys: Int64 = if case .array(let keys)? = policy["pause_keys"] { Int64(keys.count) } else { 0 }
                return [
                    "state_type": object["state_type"] ?? .null, "state_name": object["state_name"] ?? .null,
                    "run_count": object["run_count"] ?? .null, "flow_run_run_count": object["flow_run_run_count"] ?? .null,
                    "policy": [
                        "retries": policy["retries"] ?? .null, "retry_delay": policy["retry_delay"] ?? .null,
                        "resuming": policy["resuming"] ?? .null, "retry_type": policy["retry_type"] ?? .null,
                        "pause_keys": .int(pauseKeys),
                    ],
                    "has_start_time": .bool((object["start_time"] ?? .null) != .null),
                    "has_end_time": .bool((object["end_time"] ?? .null) != .null),
                    "has_expected_start_time": .bool((object["expected_start_time"] ?? .null) != .null),
                    "child_flow_run": .bool((object["state"]?["state_details"]?["child_flow_run_id"] ?? .null) != .null),
                ]
            }
            if case .array(let errors)? = object["exception_detail"] {
                return [
                    "exception_message": object["exception_message"] ?? .null,
                    "errors": .array(errors.map { ["type": $0["type"] ?? .null, "loc": $0["loc"] ?? .null] }),
                ]
            }
            if let detail = object["detail"] { return ["detail": detail] }
            if let message = object["exception_message"] {
                return ["exception_message": withoutIDs(message)]
            }
            return .null
        case .bool, .int, .string, .null: return body
        default: return .null
        }
    }
}

extension JSONValue {
    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
