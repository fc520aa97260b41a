import Foundation
import HTTPTypes
import PrefectClient
import PrefectSchemas
import PrefectTestKit
import Testing

/// Bad requests get Prefect's status and body, never a 500 or a crash, and change nothing.
@Suite("Bad input to the embedded server")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: HTTPRequest.Method
        let path: String
        let body: Data?
        let status: Int
        /// A check of the answer's JSON.
        let check: @Sendable (JSONValue?) -> Bool

        var testDescription: String { name }
    }

    static let deepParameters: Data = {
        let depth = 100_000
        var text = #"{"flow_id":"0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f","parameters":{"p":"#
        text += String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}"
        return Data(text.utf8)
    }()

    static func firstError(_ json: JSONValue?) -> JSONObject? {
        guard case .object(let body)? = json, case .array(let errors)? = body["exception_detail"],
            case .object(let first)? = errors.first
        else { return nil }
        return first
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", method: .post, path: "/flows/", body: Data(#"{"name":"#.utf8), status: 422) {
            firstError($0)?["type"] == "json_invalid"
        },
        Case(name: "wrong type", method: .post, path: "/flows/", body: Data(#"{"name": 5}"#.utf8), status: 422) {
            firstError($0)?["loc"] == ["body", "name"] && firstError($0)?["type"] == "string_type"
        },
        Case(name: "missing field", method: .post, path: "/flows/", body: Data("{}".utf8), status: 422) {
            firstError($0)?["type"] == "missing" && firstError($0)?["loc"] == ["body", "name"]
        },
        Case(name: "empty body", method: .post, path: "/flow_runs/", body: nil, status: 422) {
            firstError($0)?["type"] == "missing"
        },
        Case(
            name: "a flow run of an unknown flow", method: .post, path: "/flow_runs/",
            body: Data(#"{"flow_id":"0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f"}"#.utf8), status: 409
        ) { ($0?["detail"]?.stringValue ?? "").hasPrefix("Data integrity conflict.") },
        Case(name: "unknown id", method: .get, path: "/flows/0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f", body: nil, status: 404) {
            $0?["detail"] == "Flow not found"
        },
        Case(name: "malformed UUID in the path", method: .get, path: "/flow_runs/not-a-uuid", body: nil, status: 404) {
            $0?["detail"] == "Not Found"
        },
        Case(
            name: "set_state of an unknown run", method: .post, path: "/flow_runs/0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f/set_state",
            body: Data(#"{"state":{"type":"RUNNING"}}"#.utf8), status: 404
        ) { $0?["exception_message"] == "Flow run with id 0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f not found" },
        Case(
            name: "an unknown state type", method: .post, path: "/flow_runs/0d7f1a0e-1c2b-4c3d-8e4f-5a6b7c8d9e0f/set_state",
            body: Data(#"{"state":{"type":"EXPLODED"}}"#.utf8), status: 422
        ) { firstError($0)?["type"] == "enum" },
        Case(name: "unknown route", method: .get, path: "/no/such/route", body: nil, status: 404) {
            $0?["detail"] == "Not Found"
        },
        Case(name: "limit over 200", method: .post, path: "/flow_runs/filter", body: Data(#"{"limit":500}"#.utf8), status: 422) {
            $0?["detail"] == "Invalid limit: must be less than or equal to 200."
        },
        Case(
            name: "an unknown state type in a filter", method: .post, path: "/flow_runs/filter",
            body: Data(#"{"flow_runs":{"state":{"type":{"any_":["RUNNING","NOPE"]}}}}"#.utf8), status: 422
        ) { firstError($0)?["loc"] == ["body", "flow_runs", "state", "type", "any_", 1] },
        Case(
            name: "an unknown filter operator", method: .post, path: "/flow_runs/count",
            body: Data(#"{"flow_runs":{"operator":"xor_"}}"#.utf8), status: 422
        ) { firstError($0)?["loc"] == ["body", "flow_runs", "operator"] },
        Case(name: "a member the model does not have", method: .post, path: "/flows/", body: Data(#"{"name":"x","bogus":1}"#.utf8), status: 422) {
            firstError($0)?["type"] == "extra_forbidden" && firstError($0)?["loc"] == ["body", "bogus"]
        },
        Case(name: "unknown sort", method: .post, path: "/flow_runs/filter", body: Data(#"{"sort":"SIDEWAYS"}"#.utf8), status: 422) {
            firstError($0)?["type"] == "enum"
        },
        Case(name: "JSON nested 100,000 levels deep", method: .post, path: "/flow_runs/", body: deepParameters, status: 422) {
            (firstError($0)?["type"]) == "json_invalid"
        },
        Case(
            name: "a body over 16 MiB", method: .post, path: "/logs/",
            body: Data(repeating: UInt8(ascii: " "), count: 16 * 1024 * 1024 + 1), status: 413
        ) { ($0?["detail"]?.stringValue ?? "").contains("larger than") },
    ]

    @Test("each bad request gets Prefect's answer and changes nothing",
          arguments: [PrefectTestServerTransport.inProcess, .loopback], cases)
    func badRequest(transport: PrefectTestServerTransport, bad: Case) async throws {
        try await withPrefectTestServer(transport) { client in
            let flowID = try await client.createFlowFromName("existing")
            _ = try await client.createFlowRun(flowID: flowID)
            let before = try await (client.countFlowRuns(), client.readFlows().count)
            let response = try await client.http.send(bad.method, bad.path, body: bad.body, raiseOnError: false)
            #expect(response.statusCode == bad.status, "\(response.text.prefix(300))")
            #expect(bad.check(response.json), "\(response.text.prefix(300))")
            let after = try await (client.countFlowRuns(), client.readFlows().count)
            #expect(after == before)
            #expect(await client.apiHealthcheck() == nil, "the server still answers")
        }
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
