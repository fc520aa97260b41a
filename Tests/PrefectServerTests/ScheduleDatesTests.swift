import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The scheduler's dates against Prefect 3.9.1's, slot for slot: each recorded case
/// (`scripts/record-schedule-dates.py`) is a stored schedule, a window and Prefect's
/// `_get_dates_generator(n, start, end)` over it — intervals, crons and rrules, across daylight
/// saving time in both directions.
@Suite("Schedule dates, differentially against Prefect 3.9.1")
struct ScheduleDatesTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let schedule: JSONValue
        let start: String
        let end: String
        let n: Int
        let dates: [String]

        var testDescription: String { name }
    }

    struct Recording: Decodable {
        let cases: [Case]
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schedule-dates.json")
        guard let data = try? Data(contentsOf: url), let recording = try? PrefectJSON.decode(Recording.self, from: data) else { return [] }
        return recording.cases
    }()

    @Test("the recording is there")
    func recordingPresent() {
        #expect(Self.cases.count >= 30)
    }

    @Test("each schedule yields Prefect's dates", arguments: cases)
    func dates(of recorded: Case) throws {
        let start = try #require(PrefectDate.parse(recorded.start))
        let end = try #require(PrefectDate.parse(recorded.end))
        let ours = try #require(ScheduleDates.dates(recorded.schedule, count: recorded.n, start: start, end: end)).map(PrefectDate.format)
        let prefect = recorded.dates.compactMap(PrefectDate.parse).map(PrefectDate.format)
        #expect(ours == prefect)
    }
}
