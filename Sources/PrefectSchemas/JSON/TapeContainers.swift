import Foundation

/// The members of one JSON object. Finds a key by scanning on from the last key found, so
/// keys read in the order the server wrote them cost one comparison each.
final class TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int
    let codingPath: [any CodingKey]
    private var members: TapeMemberCursor

    init(decoder: TapeDecoder, object: Int, codingPath: [any CodingKey]) {
        self.decoder = decoder
        self.object = object
        self.codingPath = codingPath
        self.members = TapeMemberCursor(tokens: decoder.tokens, object: object)
    }

    var allKeys: [Key] {
        var keys: [Key] = []
        var member = object + 1
        for _ in 0..<members.memberCount {
            if let key = Key(stringValue: JSONScalars.string(decoder.bytes, decoder.tokens[member])) { keys.append(key) }
            member = Int(decoder.tokens[member + 1].next)
        }
        return keys
    }

    /// Token index of the value for `key`, or nil.
    private func find(_ key: Key) -> Int? {
        let bytes = decoder.bytes
        let name = key.stringValue
        return members.find { token in
            guard token.kind == .string else { return JSONScalars.string(bytes, token) == name }
            let length = Int(token.end - token.start)
            return name.utf8.count == length
                && (name.utf8.withContiguousStorageIfAvailable { stored in
                    guard let key = stored.baseAddress, let input = bytes.baseAddress else { return length == 0 }
                    return memcmp(key, input + Int(token.start), length) == 0
                } ?? name.utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])))
        }
    }

    private func value(_ key: Key) throws -> Int {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(key, .init(
                codingPath: codingPath, debugDescription: "No value associated with key \"\(key.stringValue)\""))
        }
        return index
    }

    /// The value for `key` unless it is absent or null.
    private func presentValue(_ key: Key) -> Int? {
        guard let index = find(key), decoder.tokens[index].kind != .null else { return nil }
        return index
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.tokens[try value(key)].kind == .null
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(try value(key), key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.string(try value(key), key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.double(try value(key), key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decoder.double(try value(key), key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.integer(Int.self, try value(key), key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.integer(Int8.self, try value(key), key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.integer(Int16.self, try value(key), key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.integer(Int32.self, try value(key), key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.integer(Int64.self, try value(key), key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.integer(UInt.self, try value(key), key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.integer(UInt8.self, try value(key), key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.integer(UInt16.self, try value(key), key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.integer(UInt32.self, try value(key), key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.integer(UInt64.self, try value(key), key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeValue(T.self, at: try value(key), key: key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.bool(index, key)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.string(index, key)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.double(index, key)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.integer(Int.self, index, key)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = presentValue(key) else { return nil }
        return try decoder.decodeValue(T.self, at: index, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let index = try value(key)
        guard decoder.tokens[index].kind == .object else {
            throw decoder.mismatch([String: JSONValue].self, at: index, key: key)
        }
        return KeyedDecodingContainer(TapeKeyedContainer<NestedKey>(decoder: decoder, object: index, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let index = try value(key)
        guard decoder.tokens[index].kind == .array else {
            throw decoder.mismatch([JSONValue].self, at: index, key: key)
        }
        return TapeUnkeyedContainer(decoder: decoder, array: index, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        TapeDecoder(bytes: decoder.bytes, tokens: decoder.tokens, index: object, modelsFromTape: decoder.modelsFromTape)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let decoder = TapeDecoder(
            bytes: decoder.bytes, tokens: decoder.tokens, index: try value(key), modelsFromTape: decoder.modelsFromTape)
        decoder.codingPath = codingPath + [key]
        return decoder
    }
}

/// The elements of one JSON array, read in order.
final class TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    let codingPath: [any CodingKey]
    let count: Int?
    private(set) var currentIndex = 0
    private var element: Int

    init(decoder: TapeDecoder, array: Int, codingPath: [any CodingKey]) {
        self.decoder = decoder
        self.codingPath = codingPath
        self.count = Int(decoder.tokens[array].start)
        self.element = array + 1
    }

    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    private struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    /// The next element's token index; advances past it.
    private func next() throws -> (index: Int, key: any CodingKey) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(
                codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end"))
        }
        let index = element
        let key = IndexKey(currentIndex)
        element = Int(decoder.tokens[index].next)
        currentIndex += 1
        return (index, key)
    }

    func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.tokens[element].kind == .null else { return false }
        _ = try next()
        return true
    }

    func decode(_ type: Bool.Type) throws -> Bool { let (i, k) = try next(); return try decoder.bool(i, k) }
    func decode(_ type: String.Type) throws -> String { let (i, k) = try next(); return try decoder.string(i, k) }
    func decode(_ type: Double.Type) throws -> Double { let (i, k) = try next(); return try decoder.double(i, k) }
    func decode(_ type: Float.Type) throws -> Float { let (i, k) = try next(); return Float(try decoder.double(i, k)) }
    func decode(_ type: Int.Type) throws -> Int { let (i, k) = try next(); return try decoder.integer(Int.self, i, k) }
    func decode(_ type: Int8.Type) throws -> Int8 { let (i, k) = try next(); return try decoder.integer(Int8.self, i, k) }
    func decode(_ type: Int16.Type) throws -> Int16 { let (i, k) = try next(); return try decoder.integer(Int16.self, i, k) }
    func decode(_ type: Int32.Type) throws -> Int32 { let (i, k) = try next(); return try decoder.integer(Int32.self, i, k) }
    func decode(_ type: Int64.Type) throws -> Int64 { let (i, k) = try next(); return try decoder.integer(Int64.self, i, k) }
    func decode(_ type: UInt.Type) throws -> UInt { let (i, k) = try next(); return try decoder.integer(UInt.self, i, k) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { let (i, k) = try next(); return try decoder.integer(UInt8.self, i, k) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { let (i, k) = try next(); return try decoder.integer(UInt16.self, i, k) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { let (i, k) = try next(); return try decoder.integer(UInt32.self, i, k) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { let (i, k) = try next(); return try decoder.integer(UInt64.self, i, k) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (index, key) = try next()
        return try decoder.decodeValue(T.self, at: index, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (index, key) = try next()
        guard decoder.tokens[index].kind == .object else { throw decoder.mismatch([String: JSONValue].self, at: index, key: key) }
        return KeyedDecodingContainer(TapeKeyedContainer<NestedKey>(decoder: decoder, object: index, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (index, key) = try next()
        guard decoder.tokens[index].kind == .array else { throw decoder.mismatch([JSONValue].self, at: index, key: key) }
        return TapeUnkeyedContainer(decoder: decoder, array: index, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        let (index, _) = try next()
        return TapeDecoder(bytes: decoder.bytes, tokens: decoder.tokens, index: index, modelsFromTape: decoder.modelsFromTape)
    }
}

/// One JSON value.
struct TapeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    let value: Int
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { decoder.tokens[value].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(value, nil) }
    func decode(_ type: String.Type) throws -> String { try decoder.string(value, nil) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.double(value, nil) }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.double(value, nil)) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(Int.self, value, nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(Int8.self, value, nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(Int16.self, value, nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(Int32.self, value, nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(Int64.self, value, nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(UInt.self, value, nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(UInt8.self, value, nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(UInt16.self, value, nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(UInt32.self, value, nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(UInt64.self, value, nil) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeValue(T.self, at: value, key: nil)
    }
}
