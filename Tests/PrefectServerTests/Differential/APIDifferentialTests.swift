import Foundation
@testable import PrefectServer
import Testing

/// Replays the scenarios of the API's edges (root routes, unknown routes and methods, the API
/// version header, path ids, unreadable bodies, basic auth, CSRF, and the routes the other sets
/// leave out) recorded from Prefect 3.9.1 by `scripts/record-orchestration.py --set api`, and
/// checks that the three recordings together reach every route the server serves and every
/// status it can answer.
@Suite("The API's edges, differentially against Prefect 3.9.1")
struct APIDifferentialTests {
    static let recording = DifferentialRecording.load("api.json")

    static var names: [String] { recording.scenarios.keys.sorted() }

    @Test("each scenario gets Prefect's answers, whole", arguments: names)
    func scenario(name: String) async throws {
        try await DifferentialRecording.replay(try #require(Self.recording.scenarios[name]))
    }

    static var allSteps: [DifferentialRecording.Step] {
        ["orchestration.json", "resources.json", "api.json", "events.json"].flatMap {
            DifferentialRecording.load($0).scenarios.values.flatMap(\.steps)
        }
    }

    @Test("every route the server serves is recorded at least once")
    func everyRoute() throws {
        let steps = Self.allSteps
        let missing = try ServedRoutes.list().filter { route in
            let parts = route.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return true }
            guard let pattern = Self.pattern(String(parts[1]).replacingOccurrences(of: "/api", with: "", options: .anchored))
            else { return true }
            return !steps.contains { step in
                step.method == parts[0] && step.path.replacing(/\{[a-z_]+\}/, with: "X").wholeMatch(of: pattern) != nil
            }
        }
        #expect(missing.isEmpty, "routes no scenario sends a request to: \(missing)")
    }

    @Test("every status the server answers is recorded at least once")
    func everyStatus() {
        let statuses = Set(Self.allSteps.map { $0.deviation?.status ?? $0.status })
        for status in [200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 422] {
            #expect(statuses.contains(status), "no recorded step answers \(status)")
        }
    }

    /// A route path (`/flows/{id}` or `/flows/:id`) as a regex over recorded paths.
    private static func pattern(_ path: String) -> Regex<AnyRegexOutput>? {
        let escaped = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            if segment.hasPrefix("{") || segment.hasPrefix(":") { return "[^/?]+" }
            return NSRegularExpression.escapedPattern(for: String(segment))
        }.joined(separator: "/")
        return try? Regex(escaped + "/?(\\?.*)?")
    }
}
