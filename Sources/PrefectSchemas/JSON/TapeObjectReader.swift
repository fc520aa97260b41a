import Foundation

/// A model that ``PrefectJSONDecoder`` builds straight from its token tape, without `Decoder`
/// containers: no container objects, no existential boxes, keys compared as static bytes.
///
/// `scripts/generate-schemas.py` writes the conformances (`TapeDecoders.swift`) for the models
/// read in bulk — runs, states, logs, flows and the bodies that create them — line for line the
/// same as their generated `init(from:)`, which every other decoder keeps using.
protocol TapeDecodable: Decodable {
    init(tape: inout TapeObjectReader) throws
}

/// An enum sent as its raw string, unknown values included (`StateType`, …): decoded from the
/// string as its `init(from:)` does.
protocol TapeStringDecodable: Decodable {
    init(rawValue: String)
}

/// A member name in a coding path; its text is made only when an error asks for it.
struct TapeKey: CodingKey {
    let name: StaticString
    var stringValue: String { name.description }
    var intValue: Int? { nil }

    init(_ name: StaticString) { self.name = name }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

/// Reads the members of one JSON object of a tape for a ``TapeDecodable`` model.
///
/// Follows ``TapeKeyedContainer``: a key is found by scanning on from the last key found (one
/// comparison when keys come in the server's order), absent and `null` are alike for the
/// `…IfPresent` readers, and errors are the `DecodingError`s `init(from:)` would throw, with the
/// same coding paths.
struct TapeObjectReader {
    private let decoder: TapeDecoder
    private let bytes: UnsafeBufferPointer<UInt8>
    private let tokens: UnsafeBufferPointer<JSONTape.Token>
    private var members: TapeMemberCursor

    /// A reader of the object at token `object`; throws the container's type mismatch when the
    /// value there is not an object.
    init(_ decoder: TapeDecoder, at object: Int) throws {
        let token = decoder.tokens[object]
        guard token.kind == .object else {
            throw decoder.mismatch([String: JSONValue].self, at: object, path: decoder.codingPath)
        }
        self.decoder = decoder
        self.bytes = decoder.bytes
        self.tokens = decoder.tokens
        self.members = TapeMemberCursor(tokens: decoder.tokens, object: object)
    }

    // MARK: finding members

    /// Token index of the value of member `key`, or nil.
    private mutating func find(_ key: StaticString) -> Int? {
        let bytes = bytes
        return members.find { Self.isKey($0, key, in: bytes) }
    }

    @inline(__always)
    private static func isKey(_ token: JSONTape.Token, _ key: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.kind == .string else {
            return JSONScalars.string(bytes, token) == key.description
        }
        let start = Int(token.start)
        let length = Int(token.end) - start
        return key.withUTF8Buffer { name in
            guard name.count == length else { return false }
            guard length > 0, let stored = name.baseAddress, let input = bytes.baseAddress else { return true }
            let left = UnsafeRawPointer(stored)
            let right = UnsafeRawPointer(input + start)
            var offset = 0
            while offset + 8 <= length {
                guard left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                else { return false }
                offset += 8
            }
            while offset < length {
                guard left.load(fromByteOffset: offset, as: UInt8.self) == right.load(fromByteOffset: offset, as: UInt8.self)
                else { return false }
                offset += 1
            }
            return true
        }
    }

    private mutating func value(_ key: StaticString) throws -> Int {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(TapeKey(key), .init(
                codingPath: decoder.codingPath,
                debugDescription: "No value associated with key \"\(key.description)\""))
        }
        return index
    }

    /// The value of `key` unless it is absent or null.
    private mutating func presentValue(_ key: StaticString) -> Int? {
        guard let index = find(key), tokens[index].kind != .null else { return nil }
        return index
    }

    // MARK: scalars

    mutating func decode(_ type: String.Type, _ key: StaticString) throws -> String {
        try decoder.string(try value(key), TapeKey(key))
    }

    mutating func decodeIfPresent(_ type: String.Type, _ key: StaticString) throws -> String? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.string(index, TapeKey(key))
    }

    mutating func decode(_ type: UUID.Type, _ key: StaticString) throws -> UUID {
        try uuid(at: try value(key), key)
    }

    mutating func decodeIfPresent(_ type: UUID.Type, _ key: StaticString) throws -> UUID? {
        guard let index = presentValue(key) else { return nil }
        return try uuid(at: index, key)
    }

    private func uuid(at index: Int, _ key: StaticString) throws -> UUID {
        guard let uuid = JSONScalars.uuid(bytes, tokens[index]) else {
            throw decoder.mismatch(UUID.self, at: index, key: TapeKey(key))
        }
        return uuid
    }

    mutating func decode(_ type: Int.Type, _ key: StaticString) throws -> Int {
        try decoder.integer(Int.self, try value(key), TapeKey(key))
    }

    mutating func decodeIfPresent(_ type: Int.Type, _ key: StaticString) throws -> Int? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.integer(Int.self, index, TapeKey(key))
    }

    mutating func decode(_ type: Double.Type, _ key: StaticString) throws -> Double {
        try decoder.double(try value(key), TapeKey(key))
    }

    mutating func decodeIfPresent(_ type: Double.Type, _ key: StaticString) throws -> Double? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.double(index, TapeKey(key))
    }

    mutating func decode(_ type: Bool.Type, _ key: StaticString) throws -> Bool {
        try decoder.bool(try value(key), TapeKey(key))
    }

    mutating func decodeIfPresent(_ type: Bool.Type, _ key: StaticString) throws -> Bool? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.bool(index, TapeKey(key))
    }

    // MARK: timestamps and durations

    /// A Prefect timestamp, as `decodePrefectDate(forKey:)`.
    mutating func date(_ key: StaticString) throws -> Date {
        try date(at: try value(key), key)
    }

    /// An optional Prefect timestamp, as `decodePrefectDateIfPresent(forKey:)`.
    mutating func dateIfPresent(_ key: StaticString) throws -> Date? {
        guard let index = presentValue(key) else { return nil }
        return try date(at: index, key)
    }

    private func date(at index: Int, _ key: StaticString) throws -> Date {
        let token = tokens[index]
        let date: Date?
        switch token.kind {
        case .string:
            date = PrefectDate.parse(utf8: UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)]))
        case .escapedString:
            date = PrefectDate.parse(JSONScalars.string(bytes, token))
        default:
            date = nil
        }
        guard let date else {
            throw decoder.mismatch(Date.self, at: index, key: TapeKey(key), detail: "an ISO 8601 timestamp")
        }
        return date
    }

    /// A duration, as `decodeSeconds(forKey:)`.
    mutating func seconds(_ key: StaticString) throws -> Seconds {
        guard let value = try secondsIfPresent(key) else {
            throw DecodingError.valueNotFound(
                Seconds.self, .init(codingPath: decoder.codingPath + [TapeKey(key)], debugDescription: "Expected a duration"))
        }
        return value
    }

    /// An optional duration, as `decodeSecondsIfPresent(forKey:)`: seconds, or ISO 8601 text.
    mutating func secondsIfPresent(_ key: StaticString) throws -> Seconds? {
        guard let index = presentValue(key) else { return nil }
        if tokens[index].kind == .number, let number = JSONScalars.double(bytes, tokens[index]) { return number }
        let text = try decoder.string(index, TapeKey(key))
        guard let seconds = ISODuration.seconds(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [TapeKey(key)],
                debugDescription: "Expected seconds or an ISO 8601 duration, got '\(text)'"))
        }
        return seconds
    }

    // MARK: nested values

    mutating func decode<T: TapeDecodable>(_ type: T.Type, _ key: StaticString) throws -> T {
        try nested(T.self, at: try value(key), key)
    }

    mutating func decodeIfPresent<T: TapeDecodable>(_ type: T.Type, _ key: StaticString) throws -> T? {
        guard let index = presentValue(key) else { return nil }
        return try nested(T.self, at: index, key)
    }

    private func nested<T: TapeDecodable>(_ type: T.Type, at index: Int, _ key: StaticString) throws -> T {
        decoder.codingPath.append(TapeKey(key))
        defer { decoder.codingPath.removeLast() }
        var reader = try TapeObjectReader(decoder, at: index)
        return try T(tape: &reader)
    }

    mutating func decode<T: TapeStringDecodable>(_ type: T.Type, _ key: StaticString) throws -> T {
        T(rawValue: try decoder.string(try value(key), TapeKey(key)))
    }

    mutating func decodeIfPresent<T: TapeStringDecodable>(_ type: T.Type, _ key: StaticString) throws -> T? {
        guard let index = presentValue(key) else { return nil }
        return T(rawValue: try decoder.string(index, TapeKey(key)))
    }

    /// Any other value, through the decoder's own path (`JSONObject`, arrays, unions …).
    mutating func decode<T: Decodable>(_ type: T.Type, _ key: StaticString) throws -> T {
        try decoder.decodeValue(T.self, at: try value(key), key: TapeKey(key))
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type, _ key: StaticString) throws -> T? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.decodeValue(T.self, at: index, key: TapeKey(key))
    }
}
