import Testing

/// Replays the resource scenarios (variables, work pools, deployments, limits, artifacts,
/// blocks, automations, …) recorded from Prefect 3.9.1 by `scripts/record-orchestration.py
/// --set resources` against the embedded server, comparing every answer whole.
@Suite("Resources, differentially against Prefect 3.9.1")
struct ResourceDifferentialTests {
    static let recording = DifferentialRecording.load("resources.json")

    static var names: [String] { recording.scenarios.keys.sorted() }

    @Test("the recording is there")
    func recordingPresent() {
        #expect(Self.names.contains { $0.hasPrefix("variables:") })
    }

    @Test("each scenario gets Prefect's answers, whole", arguments: names)
    func scenario(name: String) async throws {
        try await DifferentialRecording.replay(try #require(Self.recording.scenarios[name]))
    }
}
