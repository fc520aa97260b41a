import Foundation
import PrefectSchemas
import Testing

@Suite("PrefectJSONEncoder writes what JSONEncoder writes")
struct PrefectJSONEncoderTests {
    private func both<T: Encodable>(_ value: T) throws -> (streamed: JSONValue, foundation: JSONValue) {
        let streamed = try JSONDecoder().decode(JSONValue.self, from: PrefectJSONEncoder().encode(value))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        return (streamed, foundation)
    }

    private func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try PrefectJSONEncoder().encode(value), as: UTF8.self)
    }

    @Test("strings with quotes, backslashes, control characters and non-ASCII text")
    func strings() throws {
        let values = ["", "plain", "quote \" and \\ backslash", "tab\tline\nreturn\r\u{8}\u{c}", "\u{0}\u{1f}\u{7f}",
                      "café ✓ 🚀", "/path/with/slashes"]
        for value in values {
            let data = try PrefectJSONEncoder().encode([value])
            #expect(try JSONDecoder().decode([String].self, from: data) == [value])
        }
        #expect(try text(["a\"b\n\u{1}"]) == #"["a\"b\n\u0001"]"#)
    }

    @Test("numbers: integers of every width, doubles as JSONEncoder writes them")
    func numbers() throws {
        #expect(try text([Int64.min, 0, 7, Int64.max]) == "[-9223372036854775808,0,7,9223372036854775807]")
        #expect(try text([UInt64.max]) == "[18446744073709551615]")
        #expect(try text([1.0, 0.5, -2.25, 1e-7, 1e300]) == String(decoding: try JSONEncoder().encode([1.0, 0.5, -2.25, 1e-7, 1e300]), as: UTF8.self))
        #expect(try text([Float(1.5)]) == "[1.5]")
        #expect(try text(true) == "true")
        #expect(try text(Optional<Int>.none) == "null")
    }

    @Test("NaN and infinity are refused with EncodingError, as JSON cannot carry them")
    func nonFinite() throws {
        #expect(throws: EncodingError.self) { try PrefectJSONEncoder().encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try PrefectJSONEncoder().encode([Double.infinity]) }
    }

    @Test("Data, URL, Decimal, Date and dictionaries as JSONEncoder writes them")
    func foundationTypes() throws {
        struct Mixed: Encodable {
            let data = Data([0, 1, 2, 250])
            let url = URL(string: "https://example.com/a?b=c")
            let decimal = Decimal(string: "12.5")
            let date = Date(timeIntervalSinceReferenceDate: 12.25)
            let map = ["b": [1, 2], "a": []]
            let intKeys = [3: "three"]
            let nested: [[String: Bool?]] = [["x": nil, "y": true]]
        }
        let (streamed, foundation) = try both(Mixed())
        #expect(streamed == foundation)
        #expect(streamed["data"] == .string("AAEC+g=="))
    }

    @Test("models and JSONValue: nested objects, arrays, nulls, empty values")
    func models() throws {
        let state = State(
            type: .completed, name: "Completed", timestamp: Date(timeIntervalSince1970: 1_764_000_000.123456),
            message: "done", data: ["rows": 3, "ok": true, "nested": ["list": [1, 2.5, "x", nil]], "empty": [:]])
        let (streamed, foundation) = try both(state)
        #expect(streamed == foundation)
        #expect(try text(JSONValue.object([:])) == "{}")
        #expect(try text(JSONValue.array([])) == "[]")
        #expect(try PrefectJSONDecoder().decode(State.self, from: PrefectJSONEncoder().encode(state)) == state)
    }

    /// Writes into its first nested container after opening a second one: cannot stream.
    struct OutOfOrder: Encodable {
        enum Keys: String, CodingKey { case first, second }
        enum Inner: String, CodingKey { case value }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var first = container.nestedContainer(keyedBy: Inner.self, forKey: .first)
            var second = container.nestedUnkeyedContainer(forKey: .second)
            try second.encode(2)
            try first.encode(1, forKey: .value)
        }
    }

    /// Uses a super encoder: cannot stream.
    struct WithSuper: Encodable {
        enum Keys: String, CodingKey { case own }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("x", forKey: .own)
            try ["inherited"].encode(to: container.superEncoder())
        }
    }

    /// Encodes nothing.
    struct Empty: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test("what cannot be streamed is handed to JSONEncoder and comes out complete")
    func fallback() throws {
        let (outOfOrder, expected) = try both(["wrapped": OutOfOrder()])
        #expect(outOfOrder == expected)
        #expect(outOfOrder == ["wrapped": ["first": ["value": 1], "second": [2]]])
        let (withSuper, expectedSuper) = try both(WithSuper())
        #expect(withSuper == expectedSuper)
        #expect(withSuper == ["own": "x", "super": ["inherited"]])
        #expect(try both(["e": Empty()]).streamed == ["e": [:]])
        #expect(throws: EncodingError.self) { try PrefectJSONEncoder().encode(Empty()) }
    }

    @Test("a container asked for twice is the same container")
    func repeatedContainer() throws {
        struct Twice: Encodable {
            enum Keys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var one = encoder.container(keyedBy: Keys.self)
                try one.encode(1, forKey: .a)
                var two = encoder.container(keyedBy: Keys.self)
                try two.encode(2, forKey: .b)
            }
        }
        #expect(try text(Twice()) == #"{"a":1,"b":2}"#)
    }

    @Test("ids are written as uuidString.lowercased()")
    func uuids() throws {
        for id in (0..<100).map({ _ in UUID() }) + [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))] {
            #expect(id.prefectString == id.uuidString.lowercased())
        }
    }

    @Test("explicit nulls: absent optional fields are written as null, only when asked")
    func explicitNulls() throws {
        let run = FlowRun(flowID: UUID(), parameters: ["p": nil])
        let omitted = try PrefectJSON.decode(JSONValue.self, from: PrefectJSONEncoder().encode(run))
        let explicit = try PrefectJSON.decode(JSONValue.self, from: PrefectJSONEncoder(explicitNulls: true).encode(run))
        guard case .object(let short) = omitted, case .object(let full) = explicit else {
            Issue.record("not objects")
            return
        }
        #expect(short["deployment_id"] == nil)
        #expect(full["deployment_id"] == .null)
        #expect(full["state"] == .null)
        #expect(full["parameters"] == ["p": nil], "explicit nulls inside free-form values are kept either way")
        #expect(Set(full.keys).isSuperset(of: short.keys))
        #expect(try PrefectJSON.decode(FlowRun.self, from: PrefectJSONEncoder(explicitNulls: true).encode(run)) == run)
    }
}
