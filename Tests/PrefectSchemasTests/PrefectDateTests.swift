import Foundation
import PrefectSchemas
import Testing

@Suite("Prefect timestamps")
struct PrefectDateTests {
    @Test("microseconds and offsets survive parse → format")
    func roundTrip() throws {
        let date = try #require(PrefectDate.parse("2026-11-24T19:30:00.123456Z"))
        #expect(PrefectDate.format(date) == "2026-11-24T19:30:00.123456Z")
        let offset = try #require(PrefectDate.parse("2026-11-24T19:30:00.123456+00:00"))
        #expect(offset == date)
        let shifted = try #require(PrefectDate.parse("2026-11-24T21:30:00.123456+02:00"))
        #expect(PrefectDate.format(shifted) == "2026-11-24T19:30:00.123456Z")
        let spaced = try #require(PrefectDate.parse("2026-11-24 19:30:00.5"))
        #expect(PrefectDate.format(spaced) == "2026-11-24T19:30:00.500000Z")
        let negative = try #require(PrefectDate.parse("1969-12-31T23:59:59.000001Z"))
        #expect(PrefectDate.format(negative) == "1969-12-31T23:59:59.000001Z")
    }

    @Test("agrees with Foundation on whole seconds")
    func matchesFoundation() throws {
        let parsed = try #require(PrefectDate.parse("2024-02-29T12:34:56Z"))
        let formatter = ISO8601DateFormatter()
        #expect(parsed == formatter.date(from: "2024-02-29T12:34:56Z"))
    }

    @Test("rejects what is not a timestamp", arguments: ["", "2026-13-01T00:00:00Z", "2026-11-24", "yesterday", "2026-11-24T19:30:00Zjunk"])
    func rejects(text: String) {
        #expect(PrefectDate.parse(text) == nil)
    }

    @Test("a CSRF token decodes, and its description hides the token")
    func csrfToken() throws {
        let json = #"{"token":"s3cr3t","client":"c1","expiration":"2026-11-24T20:30:00.000123+00:00","unknown":1}"#
        let token = try JSONDecoder().decode(CsrfToken.self, from: Data(json.utf8))
        #expect(token.token == "s3cr3t")
        #expect(PrefectDate.format(token.expiration) == "2026-11-24T20:30:00.000123Z")
        #expect(!token.description.contains("s3cr3t"))
        let again = try JSONDecoder().decode(CsrfToken.self, from: JSONEncoder().encode(token))
        #expect(again == token)
    }

    @Test("JSON values keep integers, doubles and nesting")
    func jsonValue() throws {
        let text = #"{"a":1,"b":1.5,"c":[true,null,"x"],"d":{"e":-2}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == ["a": 1, "b": 1.5, "c": [true, nil, "x"], "d": ["e": -2]])
        #expect(value.jsonText == text)
    }
}
