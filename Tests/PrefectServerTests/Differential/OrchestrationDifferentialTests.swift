import Testing

/// Replays the orchestration scenarios recorded from Prefect 3.9.1 by
/// `scripts/record-orchestration.py` against the embedded server and compares every answer
/// whole: status and body, after ``ResponseNormalizer``.
@Suite("Orchestration, differentially against Prefect 3.9.1")
struct OrchestrationDifferentialTests {
    static let recording = DifferentialRecording.load("orchestration.json")

    static var names: [String] { recording.scenarios.keys.sorted() }

    @Test("the recording is there")
    func recordingPresent() {
        #expect(Self.names.count > 300)
    }

    @Test("each scenario gets Prefect's answers, whole", arguments: names)
    func scenario(name: String) async throws {
        try await DifferentialRecording.replay(try #require(Self.recording.scenarios[name]))
    }
}
