import Foundation
import HTTPTypes
import PrefectClient
import PrefectSchemas
import PrefectTestKit
import Testing

/// A recording of `scripts/record-orchestration.py` (requests, with `{name}` placeholders, and
/// the real server's status and projected answer for each), and its replay against the
/// embedded server.
struct DifferentialRecording: Decodable, Sendable {
    struct Step: Decodable, Sendable {
        let method: String
        let path: String
        let body: JSONValue?
        let capture: [String: String]?
        let status: Int
        let expect: JSONValue?
    }

    let scenarios: [String: [Step]]

    /// The recording in `Fixtures/name`; empty when it is missing (a test checks it is there).
    static func load(_ name: String) -> DifferentialRecording {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        guard let data = try? Data(contentsOf: url), let recording = try? PrefectJSON.decode(DifferentialRecording.self, from: data)
        else { return DifferentialRecording(scenarios: [:]) }
        return recording
    }

    /// Sends the steps, in order, to a fresh embedded server and expects the recorded status and
    /// projection of each answer; `project` gets the answer's JSON and the scenario's unique name part.
    static func replay(_ steps: [Step], project: (JSONValue?, String) -> JSONValue) async throws {
        try await withPrefectTestServer { client in
            var values: [String: String] = [:]
            let unique = String(UUID().uuidString.prefix(8)).lowercased()
            let fresh = UUID().prefectString
            for (index, step) in steps.enumerated() {
                let path = fill(.string(step.path), values, unique, fresh).stringValue ?? step.path
                let body = step.body.map { fill($0, values, unique, fresh) }
                let response = try await client.http.send(
                    HTTPRequest.Method(step.method) ?? .get, path, body: try body.map { try PrefectJSON.encode($0) },
                    raiseOnError: false)
                let json = response.json
                for (key, field) in step.capture ?? [:] where values[key] == nil {
                    if let value = Self.member(json, path: field)?.stringValue { values[key] = value }
                }
                #expect(response.statusCode == step.status, "step \(index) \(step.method) \(step.path): \(response.text.prefix(400))")
                #expect(project(json, unique) == step.expect ?? .null, "step \(index) \(step.method) \(step.path): \(response.text.prefix(600))")
            }
        }
    }

    // MARK: the same placeholders as scripts/record-orchestration.py

    static func fill(_ value: JSONValue, _ values: [String: String], _ unique: String, _ fresh: String) -> JSONValue {
        switch value {
        case .object(let object): return .object(object.mapValues { fill($0, values, unique, fresh) })
        case .array(let array): return .array(array.map { fill($0, values, unique, fresh) })
        case .string(let text): return .string(substitute(text, values, unique, fresh))
        default: return value
        }
    }

    private static func substitute(_ text: String, _ values: [String: String], _ unique: String, _ fresh: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if name.hasPrefix("time:"), let seconds = Double(name.dropFirst(5)) {
                result += PrefectDate.format(Date().addingTimeInterval(seconds))
            } else if name == "unique" {
                result += unique
            } else if name == "uuid" {
                result += fresh
            } else if let value = values[name] {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The member at a dotted path ("id", "0.id": the first item's id), as the recorder reads it.
    static func member(_ json: JSONValue?, path: String) -> JSONValue? {
        var current = json
        for part in path.split(separator: ".") {
            if case .array(let items)? = current, let index = Int(part), items.indices.contains(index) {
                current = items[index]
            } else {
                current = current?[String(part)]
            }
        }
        return current
    }
}
