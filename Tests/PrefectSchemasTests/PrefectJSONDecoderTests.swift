import Foundation
import PrefectSchemas
import Testing

@Suite("PrefectJSONDecoder")
struct PrefectJSONDecoderTests {
    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try PrefectJSONDecoder().decode(type, from: Data(text.utf8))
    }

    @Test("agrees with JSONDecoder on scalars, escapes and nesting")
    func agreesWithFoundation() throws {
        let text = #"{"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","i":-42,"d":1.5,"e":2.5e-3,"f":0.1,"b":false,"n":null,"a":[1,[2,{}],"x"],"o":{"k":[]}}"#
        let fast = try decode(JSONValue.self, text)
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(fast == foundation)
        #expect(fast["s"] == "a\"b\\c/d\né😀")
        #expect(try decode([Double].self, "[0.1, 2.5, -3, 1e-7, 12345678901234567890]") == [0.1, 2.5, -3, 1e-7, 1.2345678901234567e19])
        #expect(try decode([Int].self, "[0, -1, 9223372036854775807, 3.0]") == [0, -1, Int.max, 3])
        #expect(try decode([String: [UUID]].self, #"{"ids":["b46cae0c-f71e-4735-b6cd-eb24c3de515b"]}"#)["ids"]?.first?.uuidString == "B46CAE0C-F71E-4735-B6CD-EB24C3DE515B")
    }

    @Test("a string's quote, escape, control byte or multi-byte character is found at any offset of an 8-byte word")
    func specialBytesAtEveryOffset() throws {
        let pieces = ["\"", #"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "é", "😀", "\u{01}", "\u{1F}", " ", "~", "\u{7F}"]
        for piece in pieces {
            for prefix in 0..<20 {
                for suffix in [0, 1, 7, 8, 9] {
                    let text = "[\"" + String(repeating: "a", count: prefix) + piece + String(repeating: "b", count: suffix) + "\", 1]"
                    let data = Data(text.utf8)
                    let foundation = try? JSONDecoder().decode(JSONValue.self, from: data)
                    let fast = try? PrefectJSONDecoder().decode(JSONValue.self, from: data)
                    #expect(fast == foundation, "\(text.debugDescription)")
                    if piece.unicodeScalars.first.map({ $0.value < 0x20 }) == true {
                        #expect(fast == nil, "a raw control character is rejected: \(text.debugDescription)")
                    }
                }
            }
        }
    }

    @Test("a UUID is read strictly, whatever byte is changed at any position")
    func uuidAtEveryPosition() throws {
        let canonical = Array("b46cae0c-f71e-4735-b6cd-eb24c3de515b")
        #expect(try decode(UUID.self, "\"\(String(canonical).uppercased())\"") == UUID(uuidString: String(canonical)))
        for position in canonical.indices {
            for replacement in Array("0a9fAFgG-:/@`~ ") {
                var text = canonical
                text[position] = replacement
                let string = String(text)
                let fast = try? decode(UUID.self, "\"\(string)\"")
                // As pydantic: hex digits and the four hyphens only (Foundation on Linux also
                // takes a space or a sign in front of a pair).
                let strict = text.indices.allSatisfy { [8, 13, 18, 23].contains($0) ? text[$0] == "-" : text[$0].isHexDigit }
                #expect(fast == (strict ? UUID(uuidString: string) : nil), "\(string)")
            }
        }
    }

    @Test("malformed JSON is a data-corrupted error naming the offset", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "01", "1.", "\"unterminated", "[1] [2]", "{\"a\":\"\u{01}\"}", "<html>",
    ])
    func malformed(text: String) {
        #expect(throws: DecodingError.self) { try PrefectJSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
    }

    @Test("type errors carry the coding path")
    func typeMismatchPath() throws {
        struct Outer: Decodable { let items: [Inner] }
        struct Inner: Decodable { let count: Int }
        do {
            _ = try decode(Outer.self, #"{"items":[{"count":1},{"count":"two"}]}"#)
            Issue.record("expected a type mismatch")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1", "count"])
        }
        do {
            _ = try decode(Inner.self, #"{"other":1}"#)
            Issue.record("expected a missing key")
        } catch DecodingError.keyNotFound(let key, _) {
            #expect(key.stringValue == "count")
        }
        #expect(throws: DecodingError.self) { try decode(UUID.self, #""not-a-uuid""#) }
        #expect(throws: DecodingError.self) { try decode(Int8.self, "300") }
    }

    @Test("keys are found in any order")
    func keyOrder() throws {
        struct Point: Decodable, Equatable { let x: Int; let y: Int; let z: Int? }
        #expect(try decode(Point.self, #"{"z":3,"y":2,"x":1}"#) == Point(x: 1, y: 2, z: 3))
        #expect(try decode(Point.self, #"{"y":2,"x":1,"extra":{"deep":[1,2,{"x":9}]}}"#) == Point(x: 1, y: 2, z: nil))
    }
}
