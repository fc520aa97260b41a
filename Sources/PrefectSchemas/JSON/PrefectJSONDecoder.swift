public import Foundation

/// A fast JSON decoder for Prefect payloads.
///
/// Parses the bytes once into a token tape, then runs the types' `init(from:)` over it with
/// no intermediate objects: strings are made only for the values asked for, UUIDs and
/// timestamps are parsed straight from the bytes, keys are found by scanning from where the
/// last one was. It follows `JSONDecoder`'s rules (type mismatches, missing keys and malformed
/// JSON are `DecodingError`s with the coding path). The models read in bulk (runs, states, logs,
/// flows …) skip `init(from:)` and its containers altogether: their generated ``TapeDecodable``
/// initialisers read the tape directly, with the same results and errors.
public struct PrefectJSONDecoder: Sendable {
    /// Whether ``TapeDecodable`` models are read by their tape initialisers (always, but in the
    /// tests that compare both ways of decoding them).
    let modelsFromTape: Bool

    public init() {
        modelsFromTape = true
    }

    init(modelsFromTape: Bool) {
        self.modelsFromTape = modelsFromTape
    }

    /// Decodes `type` from `data`.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> T in
            let bytes = raw.bindMemory(to: UInt8.self)
            let tape: JSONTape
            do {
                tape = try JSONTape.parse(bytes)
            } catch let error as JSONSyntaxError {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: error.description, underlyingError: error))
            }
            return try tape.tokens.withUnsafeBufferPointer { tokens in
                let decoder = TapeDecoder(bytes: bytes, tokens: tokens, modelsFromTape: modelsFromTape)
                return try decoder.decodeValue(T.self, at: 0, key: nil)
            }
        }
    }
}

/// Decodes one value of a tape; reused for every nested value (containers remember their own
/// positions, the decoder only the value being decoded).
final class TapeDecoder: Decoder {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: UnsafeBufferPointer<JSONTape.Token>
    let modelsFromTape: Bool
    var index = 0
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<JSONTape.Token>, index: Int = 0, modelsFromTape: Bool) {
        self.bytes = bytes
        self.tokens = tokens
        self.index = index
        self.modelsFromTape = modelsFromTape
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tokens[index].kind == .object else {
            throw mismatch([String: JSONValue].self, at: index, path: codingPath)
        }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(decoder: self, object: index, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tokens[index].kind == .array else {
            throw mismatch([JSONValue].self, at: index, path: codingPath)
        }
        return TapeUnkeyedContainer(decoder: self, array: index, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleValueContainer(decoder: self, value: index, codingPath: codingPath)
    }

    // MARK: values

    /// Decodes the value at token `at`; `key` extends the coding path for nested types.
    func decodeValue<T: Decodable>(_ type: T.Type, at: Int, key: (any CodingKey)?) throws -> T {
        let token = tokens[at]
        if T.self == String.self { return try string(at, key) as! T }
        if T.self == UUID.self {
            guard let uuid = JSONScalars.uuid(bytes, token) else { throw mismatch(UUID.self, at: at, key: key) }
            return uuid as! T
        }
        if T.self == PrefectTimestamp.self {
            guard token.kind == .string || token.kind == .escapedString,
                let date = PrefectDate.parse(JSONScalars.string(bytes, token))
            else { throw mismatch(Date.self, at: at, key: key, detail: "an ISO 8601 timestamp") }
            return PrefectTimestamp(date: date) as! T
        }
        if T.self == Int.self { return Int(try int64(at, key)) as! T }
        if T.self == Double.self { return try double(at, key) as! T }
        if T.self == Bool.self { return try bool(at, key) as! T }
        if T.self == JSONValue.self { return jsonValue(at) as! T }
        if T.self == JSONObject.self {
            guard token.kind == .object, case .object(let members) = jsonValue(at) else { throw mismatch(T.self, at: at, key: key) }
            return members as! T
        }
        if T.self == [String: JSONValue].self {
            guard token.kind == .object, case .object(let members) = jsonValue(at) else { throw mismatch(T.self, at: at, key: key) }
            return members.dictionary as! T
        }
        if T.self == [String].self, token.kind == .array {
            var result: [String] = []
            result.reserveCapacity(Int(token.start))
            var element = at + 1
            while element < Int(token.next) {
                result.append(try string(element, key))
                element = Int(tokens[element].next)
            }
            return result as! T
        }
        if modelsFromTape, let tapeType = T.self as? any TapeDecodable.Type {
            if let key { codingPath.append(key) }
            defer { if key != nil { codingPath.removeLast() } }
            var reader = try TapeObjectReader(self, at: at)
            return try tapeType.init(tape: &reader) as! T
        }
        let saved = index
        index = at
        if let key { codingPath.append(key) }
        defer {
            index = saved
            if key != nil { codingPath.removeLast() }
        }
        return try T(from: self)
    }

    func string(_ at: Int, _ key: (any CodingKey)?) throws -> String {
        let token = tokens[at]
        guard token.kind == .string || token.kind == .escapedString else { throw mismatch(String.self, at: at, key: key) }
        return JSONScalars.string(bytes, token)
    }

    func int64(_ at: Int, _ key: (any CodingKey)?) throws -> Int64 {
        let token = tokens[at]
        guard token.kind == .number, let value = JSONScalars.int64(bytes, token) else {
            throw mismatch(Int.self, at: at, key: key)
        }
        return value
    }

    func double(_ at: Int, _ key: (any CodingKey)?) throws -> Double {
        let token = tokens[at]
        guard token.kind == .number, let value = JSONScalars.double(bytes, token) else {
            throw mismatch(Double.self, at: at, key: key)
        }
        return value
    }

    func bool(_ at: Int, _ key: (any CodingKey)?) throws -> Bool {
        switch tokens[at].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: at, key: key)
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ at: Int, _ key: (any CodingKey)?) throws -> T {
        let value = try int64(at, key)
        guard let result = T(exactly: value) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: path(key), debugDescription: "Number \(value) does not fit in \(T.self)"))
        }
        return result
    }

    /// The value at `at` as a ``JSONValue`` tree.
    func jsonValue(_ at: Int) -> JSONValue {
        let token = tokens[at]
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .string, .escapedString: return .string(JSONScalars.string(bytes, token))
        case .number:
            if let value = JSONScalars.int64(bytes, token), !containsFraction(token) { return .int(value) }
            return .double(JSONScalars.double(bytes, token) ?? .nan)
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(token.start))
            var element = at + 1
            while element < Int(token.next) {
                elements.append(jsonValue(element))
                element = Int(tokens[element].next)
            }
            return .array(elements)
        case .object:
            var members = JSONObject()
            var member = at + 1
            while member < Int(token.next) {
                members[JSONScalars.string(bytes, tokens[member])] = jsonValue(member + 1)
                member = Int(tokens[member + 1].next)
            }
            return .object(members)
        }
    }

    private func containsFraction(_ token: JSONTape.Token) -> Bool {
        for offset in Int(token.start)..<Int(token.end) {
            switch bytes[offset] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return true
            default: continue
            }
        }
        return false
    }

    // MARK: errors

    func path(_ key: (any CodingKey)?) -> [any CodingKey] {
        key.map { codingPath + [$0] } ?? codingPath
    }

    func mismatch(_ type: Any.Type, at: Int, key: (any CodingKey)? = nil, detail: String? = nil) -> DecodingError {
        mismatch(type, at: at, path: path(key), detail: detail)
    }

    func mismatch(_ type: Any.Type, at: Int, path: [any CodingKey], detail: String? = nil) -> DecodingError {
        let found: String
        switch tokens[at].kind {
        case .null:
            return DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "Expected \(detail ?? "\(type)") but found null"))
        case .true, .false: found = "a boolean"
        case .number: found = "number \(String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tokens[at].start)..<Int(tokens[at].end)]), as: UTF8.self))"
        case .string, .escapedString: found = "string \"\(JSONScalars.string(bytes, tokens[at]).prefix(80))\""
        case .array: found = "an array"
        case .object: found = "an object"
        }
        return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "Expected \(detail ?? "\(type)") but found \(found)"))
    }
}

/// A timestamp as Prefect sends it; decoded straight from the bytes by ``PrefectJSONDecoder``
/// and from a string by any other decoder.
struct PrefectTimestamp: Decodable {
    let date: Date

    init(date: Date) {
        self.date = date
    }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = PrefectDate.parse(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "Expected an ISO 8601 timestamp, got '\(text)'"))
        }
        self.date = date
    }
}
