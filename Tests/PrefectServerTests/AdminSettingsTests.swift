import Foundation
import Testing

@testable import PrefectServer

/// `GET /api/admin/settings`, whole, against what Prefect 3.9.1's settings model answers in the
/// same environments (`scripts/generate-settings.py` records them in Fixtures/admin-settings.json).
@Suite("Admin settings as Prefect answers them")
struct AdminSettingsTests {
    struct Case: Decodable {
        let environment: [String: String]
        let answer: String
    }

    static let cases: [String: Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/admin-settings.json")
        guard let data = try? Data(contentsOf: url), let cases = try? JSONDecoder().decode([String: Case].self, from: data) else { return [:] }
        return cases
    }()

    @Test("the same text as Prefect for the same environment", arguments: cases.keys.sorted())
    func sameAnswer(name: String) throws {
        let recorded = try #require(Self.cases[name])
        let ours = AdminSettings.document(environment: recorded.environment)
        let same = zip(ours, recorded.answer).prefix { $0 == $1 }.count
        #expect(ours.count == recorded.answer.count && same == ours.count,
                "ours: …\(ours.dropFirst(max(0, same - 60)).prefix(160)) Prefect's: …\(recorded.answer.dropFirst(max(0, same - 60)).prefix(160))")
    }

    @Test("durations read as pydantic reads a timedelta; a value that does not read keeps the default")
    func durations() {
        #expect(AdminSettings.durationSeconds("P1DT2H") == 93_600)
        #expect(AdminSettings.durationSeconds("PT1M30.5S") == 90.5)
        #expect(AdminSettings.durationSeconds("1 day, 0:00:01") == 86_401)
        #expect(AdminSettings.durationSeconds("00:01:30") == 90)
        #expect(AdminSettings.durationSeconds("soon") == nil)
        #expect(AdminSettings.durationSeconds("PT5X") == nil)
        #expect(AdminSettings.isoDuration(seconds: 0) == "PT0S" && AdminSettings.isoDuration(seconds: 90_061) == "P1DT1H1M1S")
        let answer = AdminSettings.document(environment: ["PREFECT_HOME": "/tmp/h", "PREFECT_SERVER_CSRF_TOKEN_EXPIRATION": "soon",
                                                          "PREFECT_CLIENT_MAX_RETRIES": "many"])
        #expect(answer.contains(#""csrf_token_expiration":"PT1H""#) && answer.contains(#""max_retries":5"#))
    }
}
