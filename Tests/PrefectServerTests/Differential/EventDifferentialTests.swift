import Testing

/// Replays the scenarios of the events a server makes of its own (a flow run's lifecycle, and
/// the created / updated / deleted / status events of every resource that has them) recorded
/// from Prefect 3.9.1 by `scripts/record-orchestration.py --set events`: each scenario's
/// `/events/filter` and `/events/count-by/event` answers are compared whole — names,
/// resources, related resources, payloads, and which event each follows.
@Suite("Server-made events, differentially against Prefect 3.9.1")
struct EventDifferentialTests {
    static let recording = DifferentialRecording.load("events.json")

    static var names: [String] { recording.scenarios.keys.sorted() }

    @Test("the recording is there")
    func recordingPresent() {
        #expect(Self.names.contains { $0.hasPrefix("events: a deployment's run") })
    }

    @Test("each scenario gets Prefect's answers, whole", arguments: names)
    func scenario(name: String) async throws {
        try await DifferentialRecording.replay(try #require(Self.recording.scenarios[name]))
    }
}
