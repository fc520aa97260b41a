import Foundation
import PrefectSchemas
import Testing

/// Replays the resource scenarios (variables, …) recorded from Prefect 3.9.1 by
/// `scripts/record-orchestration.py --set resources` against the embedded server.
@Suite("Resources, differentially against Prefect 3.9.1")
struct ResourceDifferentialTests {
    static let recording = DifferentialRecording.load("resources.json")

    static var names: [String] { recording.scenarios.keys.sorted() }

    @Test("the recording is there")
    func recordingPresent() {
        #expect(Self.names.contains { $0.hasPrefix("variables:") })
    }

    @Test("each scenario gets Prefect's answers", arguments: names)
    func scenario(name: String) async throws {
        let steps = try #require(Self.recording.scenarios[name])
        try await DifferentialRecording.replay(steps) { json, unique in Self.project(json, unique: unique) }
    }

    // MARK: the same projection as scripts/resource_scenarios.py

    static func project(_ body: JSONValue?, unique: String) -> JSONValue {
        guard let body else { return .null }
        if case .array(let errors)? = body["exception_detail"] {
            return [
                "exception_message": body["exception_message"] ?? .null,
                "errors": .array(errors.map {
                    ["type": $0["type"] ?? .null, "loc": generic($0["loc"] ?? .null, unique), "msg": generic($0["msg"] ?? .null, unique)]
                }),
            ]
        }
        return generic(body, unique)
    }

    private static let volatile: Set<String> = [
        "id", "created", "updated", "estimated_start_time_delta", "estimated_run_time", "time_in_current_state",
    ]
    private static let flowRunMembers = [
        "name", "state_type", "state_name", "work_queue_name", "work_queue_id", "work_pool_name", "work_pool_id",
    ]
    private static let deploymentRunMembers = [
        "deployment_id", "deployment_version", "parameters", "idempotency_key", "job_variables", "labels", "auto_scheduled",
        "infrastructure_document_id",
    ]

    private static func generic(_ value: JSONValue, _ unique: String) -> JSONValue {
        switch value {
        case .object(let object) where object["flow_id"] != nil && object["state_type"] != nil:
            var run = Dictionary(uniqueKeysWithValues: flowRunMembers.map { ($0, generic(object[$0] ?? .null, unique)) })
            if let deployment = object["deployment_id"], deployment != .null {
                for key in deploymentRunMembers { run[key] = generic(object[key] ?? .null, unique) }
                var tags: [String] = []
                if case .array(let items)? = object["tags"] { tags = items.compactMap(\.stringValue).sorted() }
                run["tags"] = .array(tags.map(JSONValue.string))
                // The scheduler names its runs at random.
                if object["auto_scheduled"] == true { run["name"] = nil }
            }
            return .object(run)
        case .object(let object):
            // A WAIT's delay is random (Prefect jitters it): only whether the client must wait.
            var members = object.filter { !volatile.contains($0.key) }.mapValues { generic($0, unique) }
            if case .int(let delay)? = object["delay_seconds"] { members["delay_seconds"] = .bool(delay != 0) }
            return .object(members)
        case .array(let items):
            return .array(items.map { generic($0, unique) })
        case .double(let number) where number.rounded() == number && abs(number) < 1e15:
            return .int(Int64(number))
        case .string(let text):
            if text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/) != nil { return "<time>" }
            return .string(text.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, with: "<id>")
                .replacingOccurrences(of: unique, with: "<unique>"))
        default:
            return value
        }
    }
}
