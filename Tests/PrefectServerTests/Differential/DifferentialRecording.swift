import Foundation
import HTTPTypes
import PrefectClient
import PrefectSchemas
@testable import PrefectServer
import Testing

/// A recording of `scripts/record-orchestration.py`: per scenario, its requests (with `{name}`
/// placeholders) and Prefect 3.9.1's answer to each, status and whole body; and its replay
/// against the embedded server, which compares each answer whole after ``ResponseNormalizer``.
struct DifferentialRecording: Decodable, Sendable {
    struct Step: Decodable, Sendable {
        let method: String
        let path: String
        /// The body's JSON text as it was sent, placeholders unfilled.
        let body: String?
        let headers: [String: String]?
        let capture: [String: String]?
        let status: Int
        /// Prefect's answer, the exact text.
        let response: String
        let deviation: Deviation?
    }

    /// A documented difference: what the embedded server answers instead of Prefect's 500;
    /// without a response, its status alone is held (its body is its ordinary answer, or its own).
    struct Deviation: Decodable, Sendable {
        let status: Int
        let response: String?
        let why: String
    }

    struct Scenario: Decodable, Sendable {
        let unique: String
        let recordedAt: String
        /// The server it was recorded on: nil for a plain one, `auth` (basic auth with
        /// ``authString``), `csrf` (CSRF protection on).
        let server: String?
        let steps: [Step]

        enum CodingKeys: String, CodingKey {
            case unique, steps, server
            case recordedAt = "recorded_at"
        }
    }

    /// The auth string of the recorder's `auth` server (`scripts/record-orchestration.py`).
    static let authString = "recorder:differential"

    let scenarios: [String: Scenario]

    /// The recording in `Fixtures/name`; empty when it is missing (a test checks it is there).
    static func load(_ name: String) -> DifferentialRecording {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)")
        guard let data = try? Data(contentsOf: url), let recording = try? JSONDecoder().decode(DifferentialRecording.self, from: data)
        else { return DifferentialRecording(scenarios: [:]) }
        return recording
    }

    /// Sends the steps, in order, to a fresh embedded server (with the options of the server
    /// the scenario was recorded on) exactly as the recorder sent them — its headers, no
    /// client of ours in between — and expects, for each, Prefect's status and Prefect's whole
    /// body, both normalized by ``ResponseNormalizer``.
    static func replay(_ scenario: Scenario) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("differential-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = PrefectServerOptions()
        if scenario.server == "auth" { options.authString = authString }
        if scenario.server == "csrf" { options.csrfProtectionEnabled = true }
        let app = try PrefectServerApp.open(databasePath: directory.appendingPathComponent("prefect.db").path, options: options)
        defer { app.close() }
        let transport = InProcessTransport(app: app)

        var values: [String: String] = [:]
        let unique = String(UUID().uuidString.prefix(8)).lowercased()
        let fresh = UUID().prefectString
        let recordedAt = PrefectDate.parse(scenario.recordedAt) ?? Date()
        var prefectSide = ResponseNormalizer(unique: scenario.unique, now: recordedAt)
        var ourSide = ResponseNormalizer(unique: unique, now: Date())
        for (index, step) in scenario.steps.enumerated() {
            var request = HTTPRequest(
                method: HTTPRequest.Method(step.method) ?? .get, scheme: "http", authority: "ephemeral-prefect",
                path: "/api" + fill(step.path, values, unique, fresh))
            request.headerFields[HTTPField.Name("X-PREFECT-API-VERSION")!] = "0.8.4"
            let body = step.body.map { Data(fill($0, values, unique, fresh).utf8) }
            if body != nil { request.headerFields[.contentType] = "application/json" }
            for (name, value) in step.headers ?? [:] {
                if let field = HTTPField.Name(name) { request.headerFields[field] = fill(value, values, unique, fresh) }
            }
            let response = try await transport.send(request, body: body)
            let text = String(decoding: response.body, as: UTF8.self)
            let ours = OrderedJSON.parse(response.body) ?? .string(text)
            for (key, field) in step.capture ?? [:] where values[key] == nil {
                if let value = member(ours, path: field) { values[key] = value }
            }
            let expectedStatus = step.deviation?.status ?? step.status
            let label = "step \(index) \(step.method) \(step.path)"
            #expect(response.head.status.code == expectedStatus, "\(label): \(text.prefix(400))")
            if let deviation = step.deviation, deviation.response == nil { continue }
            let expectedText = step.deviation?.response ?? step.response
            let prefect = OrderedJSON.parse(Data(expectedText.utf8)) ?? .string(expectedText)
            let found = differences(ourSide.normalize(ours, path: step.path), prefectSide.normalize(prefect, path: step.path))
            #expect(
                found.isEmpty,
                """
                \(label), ours ≠ Prefect's:
                \(found.joined(separator: "\n"))
                ours:     \(text.prefix(1500))
                Prefect's: \(expectedText.prefix(1500))
                """)
        }
    }

    // MARK: the placeholders of scripts/record-orchestration.py

    static func fill(_ text: String, _ values: [String: String], _ unique: String, _ fresh: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            result += rest[..<open]
            if name.hasPrefix("time:"), let seconds = Double(name.dropFirst(5)) {
                result += PrefectDate.format(Date().addingTimeInterval(seconds))
            } else if name.hasPrefix("pad:"), let count = Int(name.dropFirst(4)) {
                result += String(repeating: "a", count: count)
            } else if name == "unique" {
                result += unique
            } else if name == "uuid" {
                result += fresh
            } else if name.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) }), let value = values[name] {
                result += value
            } else {
                // Not a placeholder (JSON's own braces): keep the brace and go on after it.
                result += rest[open...open]
                rest = rest[rest.index(after: open)...]
                continue
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The member at a dotted path ("id", "0.id": the first item's id), as text.
    static func member(_ json: OrderedJSON, path: String) -> String? {
        var current: OrderedJSON? = json
        for part in path.split(separator: ".") {
            if case .array(let items)? = current, let index = Int(part), items.indices.contains(index) {
                current = items[index]
            } else {
                current = current?[String(part)]
            }
        }
        switch current {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        default: return nil
        }
    }
}
